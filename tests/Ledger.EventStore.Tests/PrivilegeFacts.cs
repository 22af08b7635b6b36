using Npgsql;

namespace Ledger.EventStore.Tests;

/// <summary>
/// mt_events is append-only for every role (trigger, SQLSTATE LE010); the application role has no right to change
/// events, write the chain or create objects (42501); the chain is written by its trigger alone (LE011).
/// Every statement here is refused, so the class shares one database: two events, positions 1 and 2.
/// </summary>
public sealed class PrivilegeFacts(PrivilegeFacts.TwoEvents ledger) : IClassFixture<PrivilegeFacts.TwoEvents>
{
    public sealed class TwoEvents : TestLedger
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await AppendNewStreamAsync();
            await AppendNewStreamAsync();
        }
    }

    private LedgerDatabase Db => ledger.Db;

    [Fact]
    public async Task Application_sessions_run_as_ledger_app_without_superuser_rights()
    {
        (await TestLedger.ScalarAsync<string>(Db.App, "SELECT current_user")).ShouldBe("ledger_app");
        (await TestLedger.ScalarAsync<bool>(Db.App, "SELECT rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("UPDATE mt_events SET data = jsonb_set(data, '{amount}', '1000000') WHERE seq_id = 1")]
    [InlineData("UPDATE mt_events SET is_archived = true")]
    [InlineData("DELETE FROM mt_events WHERE seq_id = 2")]
    [InlineData("TRUNCATE mt_events")]
    [InlineData("TRUNCATE mt_streams CASCADE")]
    [InlineData("DELETE FROM mt_streams")]
    public async Task The_trigger_refuses_update_delete_and_truncate_of_events_even_for_the_owner(string sql)
    {
        var refused = await TestLedger.RefusedAsync(Db.Owner, sql);

        refused.SqlState.ShouldBe("LE010");
        refused.MessageText.ShouldContain("append-only");
        await EventsUntouchedAsync();
    }

    [Theory]
    [InlineData("UPDATE mt_events SET data = jsonb_set(data, '{amount}', '1000000') WHERE seq_id = 1")]
    [InlineData("DELETE FROM mt_events WHERE seq_id = 2")]
    [InlineData("TRUNCATE mt_events")]
    [InlineData("DELETE FROM mt_streams")]
    [InlineData("ALTER TABLE mt_events DISABLE TRIGGER mt_events_append_only")]
    [InlineData("ALTER TABLE mt_events DISABLE TRIGGER mt_events_chain")]
    [InlineData("DROP TRIGGER mt_events_append_only ON mt_events")]
    [InlineData("SET session_replication_role = replica")]
    public async Task The_application_role_cannot_change_remove_or_unprotect_events(string sql)
    {
        var refused = await TestLedger.RefusedAsync(Db.App, sql);

        refused.SqlState.ShouldBeOneOf(PostgresErrorCodes.InsufficientPrivilege, "LE010");
        await EventsUntouchedAsync();
    }

    [Theory]
    [InlineData("INSERT INTO event_chain (position, seq_id, prev_hash, hash, chained_at) SELECT 3, 99, hash, hash, now() FROM event_chain WHERE position = 2")]
    [InlineData("UPDATE event_chain SET chained_at = now()")]
    [InlineData("DELETE FROM event_chain WHERE position = 2")]
    [InlineData("TRUNCATE event_chain")]
    public async Task The_application_role_cannot_write_the_chain(string sql)
    {
        var refused = await TestLedger.RefusedAsync(Db.App, sql);

        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        await EventsUntouchedAsync();
    }

    [Fact]
    public async Task The_application_role_cannot_insert_a_link_even_copying_the_head()
    {
        await using var connection = await Db.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO event_chain (position, seq_id, prev_hash, hash, chained_at) SELECT 3, 99, hash, hash, now() FROM event_chain WHERE position = 2",
            connection, transaction);

        (await Should.ThrowAsync<PostgresException>(() => insert.ExecuteNonQueryAsync())).SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task Even_the_owner_cannot_insert_a_link_directly()
    {
        var refused = await TestLedger.RefusedAsync(Db.Owner,
            "INSERT INTO event_chain (position, seq_id, prev_hash, hash, chained_at) SELECT 3, 99, hash, hash, now() FROM event_chain WHERE position = 2");

        refused.SqlState.ShouldBe("LE011");
        await EventsUntouchedAsync();
    }

    [Theory]
    [InlineData("UPDATE event_chain SET chained_at = now()")]
    [InlineData("DELETE FROM event_chain WHERE position = 2")]
    [InlineData("TRUNCATE event_chain")]
    public async Task Even_the_owner_cannot_change_or_remove_a_link(string sql)
    {
        var refused = await TestLedger.RefusedAsync(Db.Owner, sql);

        refused.SqlState.ShouldBe("LE010");
        await EventsUntouchedAsync();
    }

    [Theory]
    [InlineData("CREATE TABLE public.shadow_events (seq_id bigint)")]
    [InlineData("CREATE FUNCTION public.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")]
    [InlineData("CREATE OR REPLACE FUNCTION public.chain_step(state bytea, leaf bytea, head bytea) RETURNS bytea LANGUAGE sql AS $$ SELECT leaf $$")]
    [InlineData("CREATE SCHEMA shadow")]
    public async Task The_application_role_cannot_create_or_replace_objects(string sql)
    {
        var refused = await TestLedger.RefusedAsync(Db.App, sql);

        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await TestLedger.ScalarAsync<bool>(Db.App, "SELECT has_schema_privilege('public', 'CREATE')")).ShouldBeFalse();
    }

    [Fact]
    public async Task The_application_role_appends_and_reads_but_only_reads_the_chain()
    {
        (await TestLedger.ScalarAsync<bool>(Db.App, "SELECT has_table_privilege('mt_events', 'INSERT') AND has_table_privilege('mt_events', 'SELECT')")).ShouldBeTrue();
        (await TestLedger.ScalarAsync<bool>(Db.App, "SELECT has_table_privilege('mt_events', 'UPDATE') OR has_table_privilege('mt_events', 'DELETE') OR has_table_privilege('mt_events', 'TRUNCATE')")).ShouldBeFalse();
        (await TestLedger.ScalarAsync<bool>(Db.App, "SELECT has_table_privilege('event_chain', 'SELECT')")).ShouldBeTrue();
        (await TestLedger.ScalarAsync<bool>(Db.App, "SELECT has_table_privilege('event_chain', 'INSERT') OR has_table_privilege('event_chain', 'UPDATE') OR has_table_privilege('event_chain', 'DELETE')")).ShouldBeFalse();
        (await TestLedger.ScalarAsync<bool>(Db.App, "SELECT has_function_privilege('chain_events()', 'EXECUTE')")).ShouldBeFalse();
        (await TestLedger.ScalarAsync<bool>(Db.App, "SELECT has_table_privilege('idempotency_keys', 'UPDATE') OR has_table_privilege('idempotency_keys', 'DELETE')")).ShouldBeFalse();
    }

    private async Task EventsUntouchedAsync()
    {
        (await ledger.CountsAsync()).ShouldBe((2L, 2L));
        var verified = await ledger.Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
    }
}
