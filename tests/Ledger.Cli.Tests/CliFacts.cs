using Ledger.EventStore;
using Ledger.Testing;

namespace Ledger.Cli.Tests;

public sealed class CliFacts : IAsyncLifetime
{
    private LedgerDatabase _db = null!;
    private string _connection = null!;

    public async Task InitializeAsync()
    {
        _connection = await TestPostgres.ConnectionStringAsync(await TestPostgres.CreateEmptyDatabaseAsync(TestPostgres.Template));
        _db = await LedgerDatabase.OpenAsync(_connection);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await LedgerCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Verify_exits_0_on_a_whole_chain()
    {
        var (code, output, _) = await RunAsync("verify", "--db", _connection);

        code.ShouldBe(ExitCodes.Ok);
        output.ShouldContain("Chain verified: 0 event(s)");
    }

    [Fact]
    public async Task Verify_exits_1_naming_the_broken_seq()
    {
        await using (var insert = _db.Owner.CreateCommand(
            "SELECT * FROM append_commands(ARRAY[NULL::text], ARRAY[NULL::text], ARRAY[1], ARRAY[gen_random_uuid()], ARRAY['t'], ARRAY[NULL::text], " +
            "ARRAY[0::bigint], ARRAY['320205'], ARRAY[1, 1], ARRAY[gen_random_uuid(), gen_random_uuid()], ARRAY['a', 'b'], " +
            "ARRAY['{}'::jsonb, '{}'::jsonb], ARRAY['{}'::jsonb, '{}'::jsonb])"))
        {
            await insert.ExecuteNonQueryAsync();
        }
        await using (var tamper = _db.Owner.CreateCommand(
            "ALTER TABLE events DISABLE TRIGGER events_append_only; UPDATE events SET county_code = '330424' WHERE seq = 2; ALTER TABLE events ENABLE TRIGGER events_append_only"))
        {
            await tamper.ExecuteNonQueryAsync();
        }

        var (code, output, _) = await RunAsync("verify", "--db", _connection, "--format", "json");

        code.ShouldBe(ExitCodes.CheckFailed);
        output.ShouldContain("\"brokenSeq\":2");
    }

    [Fact]
    public async Task Migrate_lists_the_applied_migrations()
    {
        var (code, output, _) = await RunAsync("migrate", "--db", _connection);

        code.ShouldBe(ExitCodes.Ok);
        output.ShouldContain("0001_event_store.sql");
        output.ShouldContain("0 were pending");
    }

    [Fact]
    public async Task Up_once_reports_the_database_and_exits_0()
    {
        var (code, output, _) = await RunAsync("up", "--once", "--db", _connection);

        code.ShouldBe(ExitCodes.Ok);
        output.ShouldContain("Ledger database ready");
    }

    [Theory]
    [InlineData("verify", "--format", "xml")]
    [InlineData("no-such-command")]
    public async Task Bad_usage_exits_2(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task An_unreachable_database_exits_3()
    {
        var (code, _, error) = await RunAsync("verify", "--db", "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2");

        code.ShouldBe(ExitCodes.Environment);
        error.ShouldContain("unreachable");
    }
}
