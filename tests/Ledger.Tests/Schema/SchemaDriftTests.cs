using Ledger.EventStore;
using Ledger.Testing;
using Ledger.Tests.Reference;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Wolverine.Runtime;

namespace Ledger.Tests.Schema;

/// <summary>
/// The schema is the numbered files in migrations/; Marten and Wolverine run with AutoCreate.None. These tests fail when
/// the database the files build differs from what Marten and Wolverine are configured to expect (a forgotten
/// migration breaks CI, not production), and check what those tools cannot see: the chain, append-only and role grants.
/// </summary>
public sealed class SchemaDriftTests : IAsyncLifetime
{
    private LedgerDatabase _db = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _host = LedgerApp.Build(_db, ShippedReferenceData.Instance, new LedgerAppOptions());
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _db.DisposeAsync();
    }

    private IDocumentStore Marten => _host.Services.GetRequiredService<IDocumentStore>();

    private IDatabase Wolverine => (IDatabase)_host.Services.GetRequiredService<IWolverineRuntime>().Storage;

    [Fact]
    public async Task The_database_built_from_the_migrations_is_what_Marten_and_Wolverine_expect()
    {
        await Marten.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
        (await Wolverine.CreateMigrationAsync(CancellationToken.None)).Difference.ShouldBe(SchemaPatchDifference.None);
    }

    [Theory]
    [InlineData("ALTER TABLE mt_events DROP COLUMN user_name", "user_name")]
    [InlineData("DROP TABLE mt_doc_envelope", "mt_doc_envelope")]
    public async Task A_database_missing_a_column_or_a_document_table_fails_Martens_check(string drift, string missing)
    {
        await OwnerAsync(drift);

        var error = await Should.ThrowAsync<Exception>(() => Marten.Storage.Database.AssertDatabaseMatchesConfigurationAsync());
        error.ToString().ShouldContain(missing);
    }

    [Fact]
    public async Task A_database_missing_a_Wolverine_table_fails_Wolverines_check()
    {
        await OwnerAsync("DROP TABLE wolverine_dead_letters");

        (await Wolverine.CreateMigrationAsync(CancellationToken.None)).Difference.ShouldNotBe(SchemaPatchDifference.None);
    }

    [Fact]
    public async Task The_chain_and_append_only_triggers_are_in_place_and_the_chain_is_deferred_to_commit()
    {
        var triggers = await RowsAsync(
            "SELECT tgname || ':' || tgdeferrable || ':' || tginitdeferred FROM pg_trigger WHERE tgrelid = 'mt_events'::regclass AND NOT tgisinternal ORDER BY tgname");
        triggers.ShouldBe(["mt_events_append_only:false:false", "mt_events_chain:true:true", "mt_events_no_tombstones:false:false", "mt_events_no_truncate:false:false"]);
        (await RowsAsync("SELECT tgname FROM pg_trigger WHERE tgrelid = 'event_chain'::regclass AND NOT tgisinternal ORDER BY tgname"))
            .ShouldBe(["event_chain_append_only", "event_chain_no_truncate", "event_chain_only_by_trigger"]);
        // Only the linking function runs as the owner, and only it may write the chain.
        (await RowsAsync("SELECT proname || ':' || prosecdef FROM pg_proc WHERE proname IN ('chain_events', 'link_events') ORDER BY proname"))
            .ShouldBe(["chain_events:false", "link_events:true"]);
    }

    [Fact]
    public async Task The_application_role_may_append_and_read_but_never_change_events_write_the_chain_or_create_objects()
    {
        var privileges = await RowsAsync(
            "SELECT p.privilege || ':' || has_table_privilege('ledger_app', t.name, p.privilege) FROM " +
            "(VALUES ('mt_events'), ('event_chain')) t(name), (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) p(privilege) ORDER BY t.name, p.privilege");
        privileges.ShouldBe([
            "DELETE:false", "INSERT:false", "SELECT:true", "TRUNCATE:false", "UPDATE:false",
            "DELETE:false", "INSERT:true", "SELECT:true", "TRUNCATE:false", "UPDATE:false",
        ]);
        // The list of applied migrations it may read (GET /health), never change.
        (await RowsAsync(
            "SELECT p.privilege || ':' || has_table_privilege('ledger_app', 'schema_migrations', p.privilege) FROM " +
            "(VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) p(privilege) ORDER BY p.privilege"))
            .ShouldBe(["DELETE:false", "INSERT:false", "SELECT:true", "TRUNCATE:false", "UPDATE:false"]);
        (await RowsAsync("SELECT has_schema_privilege('ledger_app', 'public', 'CREATE')::text")).ShouldBe(["false"]);
        (await RowsAsync("SELECT has_function_privilege('ledger_app', 'chain_events()', 'EXECUTE')::text")).ShouldBe(["false"]);
    }

    private async Task OwnerAsync(string sql)
    {
        await using var command = _db.Owner.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> RowsAsync(string sql)
    {
        var rows = new List<string>();
        await using var command = _db.Owner.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
