using Ledger.Testing;
using Npgsql;

namespace Ledger.EventStore.Tests;

public sealed class TamperFacts : IAsyncLifetime
{
    private LedgerDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _store = new EventStore(_db.App, Samples.Types);
        for (var i = 0; i < 5; i++)
        {
            var id = Guid.NewGuid();
            await _store.AppendAsync(Samples.Append(id, 0, Samples.Recorded(id, i)), Samples.Metadata());
        }
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_untouched_log_verifies_and_reports_its_head()
    {
        var result = await _store.VerifyAsync();

        result.Ok.ShouldBeTrue();
        result.EventsChecked.ShouldBe(5);
        result.Head.ShouldBe(await _store.HeadAsync());
    }

    [Fact]
    public async Task A_row_changed_by_a_superuser_with_the_trigger_disabled_is_named_by_verify()
    {
        await SuperuserAsync(
            "ALTER TABLE events DISABLE TRIGGER events_append_only",
            "UPDATE events SET data = jsonb_set(data, '{amount}', '1000000') WHERE seq = 3",
            "ALTER TABLE events ENABLE TRIGGER events_append_only");

        var result = await _store.VerifyAsync();

        result.Ok.ShouldBeFalse();
        result.BrokenSeq.ShouldBe(3);
        result.Reason!.ShouldContain("altered");
        result.Head.Seq.ShouldBe(2);
    }

    [Fact]
    public async Task A_row_removed_by_a_superuser_is_named_by_verify()
    {
        await SuperuserAsync(
            "ALTER TABLE events DISABLE TRIGGER events_append_only",
            "DELETE FROM events WHERE seq = 4",
            "ALTER TABLE events ENABLE TRIGGER events_append_only");

        var result = await _store.VerifyAsync();

        result.BrokenSeq.ShouldBe(4);
        result.Reason!.ShouldContain("missing");
    }

    [Fact]
    public async Task A_rewritten_row_with_a_recomputed_own_hash_still_breaks_the_link_to_the_next()
    {
        // A forger who recomputes the altered row's hash must rewrite every later row too; the next row's prev_hash gives it away.
        await SuperuserAsync(
            "ALTER TABLE events DISABLE TRIGGER events_append_only",
            "UPDATE events SET data = jsonb_set(data, '{amount}', '9') WHERE seq = 2",
            "UPDATE events SET hash = sha256(prev_hash || sha256(event_canonical(seq, event_id, stream_id, stream_version, event_type, data::text, metadata::text, county_code, recorded_at))) WHERE seq = 2",
            "ALTER TABLE events ENABLE TRIGGER events_append_only");

        var result = await _store.VerifyAsync();

        result.BrokenSeq.ShouldBe(3);
        result.Reason!.ShouldContain("prev_hash");
    }

    [Theory]
    [InlineData("INSERT INTO events SELECT seq + 100, gen_random_uuid(), stream_id, stream_version + 100, event_type, data, metadata, county_code, recorded_at, hash, hash FROM events WHERE seq = 5")]
    [InlineData("UPDATE events SET county_code = '330424'")]
    [InlineData("DELETE FROM events")]
    [InlineData("TRUNCATE events CASCADE")]
    public async Task The_application_role_cannot_insert_update_delete_or_truncate_events_directly(string sql)
    {
        await using var command = _db.App.CreateCommand(sql);

        var error = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        error.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await _store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Theory]
    [InlineData("UPDATE events SET county_code = '330424'")]
    [InlineData("DELETE FROM events WHERE seq = 1")]
    [InlineData("TRUNCATE events CASCADE")]
    public async Task The_trigger_refuses_update_delete_and_truncate_even_for_the_owner(string sql)
    {
        await using var command = _db.Owner.CreateCommand(sql);

        var error = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        error.SqlState.ShouldBe("LE010");
        (await _store.VerifyAsync()).EventsChecked.ShouldBe(5);
    }

    private async Task SuperuserAsync(params string[] statements)
    {
        await using var connection = await _db.Owner.OpenConnectionAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
