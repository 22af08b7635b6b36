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
        var store = TestStores.Create(_db, typeof(Ledger.Enterprises.EnterpriseRegistered).Assembly);
        var stream = Guid.NewGuid();
        await store.AppendAsync(new StreamAppend(stream, "enterprise", ExpectedVersion.NoStream, "320205",
            [new Ledger.Enterprises.EnterpriseRegistered(stream, "91350100M000100Y43", "甲", "320205", "制造业", null, "clerk", NodaTime.Instant.FromUtc(2024, 1, 1, 0, 0)),
             new Ledger.Enterprises.EnterpriseRegistered(stream, "91350100M000100Y43", "乙", "320205", "制造业", null, "clerk", NodaTime.Instant.FromUtc(2024, 1, 1, 0, 0))]),
            new EventMetadata("clerk", "clerk", Guid.NewGuid()));
        await using (var tamper = _db.Owner.CreateCommand(
            "ALTER TABLE mt_events DISABLE TRIGGER mt_events_append_only; UPDATE mt_events SET data = jsonb_set(data, '{name}', '\"丙\"') WHERE version = 2; " +
            "ALTER TABLE mt_events ENABLE TRIGGER mt_events_append_only"))
        {
            await tamper.ExecuteNonQueryAsync();
        }
        var second = (await store.ReadStreamAsync(stream))[1].Seq;

        var (code, output, _) = await RunAsync("verify", "--db", _connection, "--format", "json");

        code.ShouldBe(ExitCodes.CheckFailed);
        output.ShouldContain($"\"brokenSeq\":{second}");
        output.ShouldContain("altered");
    }

    [Fact]
    public async Task Migrate_lists_the_applied_migrations()
    {
        var (code, output, _) = await RunAsync("migrate", "--db", _connection);

        code.ShouldBe(ExitCodes.Ok);
        output.ShouldContain("0003_event_chain.sql");
        output.ShouldContain("0 were pending");
    }

    [Fact]
    public async Task Up_once_reports_the_database_and_exits_0()
    {
        var (code, output, _) = await RunAsync("up", "--once", "--urls", "http://127.0.0.1:0", "--db", _connection);

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

    [Fact]
    public async Task A_wrong_password_exits_3_with_one_line()
    {
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(_connection) { Password = "not-the-password" }.ConnectionString;

        var (code, output, error) = await RunAsync("verify", "--db", wrong);

        code.ShouldBe(ExitCodes.Environment);
        error.ShouldContain("refused the login");
        error.Trim().ShouldNotContain("\n");
        output.ShouldBeEmpty();
    }

    [Fact]
    public async Task Verify_only_reads_it_applies_no_migration_to_an_empty_database()
    {
        var empty = await TestPostgres.ConnectionStringAsync(await TestPostgres.CreateEmptyDatabaseAsync());

        var (code, _, error) = await RunAsync("verify", "--db", empty);

        code.ShouldBe(ExitCodes.Environment);
        error.ShouldContain("run 'ledger migrate' first");
        await using var connection = new Npgsql.NpgsqlConnection(empty);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NULL AND to_regclass('mt_events') IS NULL", connection);
        ((bool)(await command.ExecuteScalarAsync())!).ShouldBeTrue();
    }

    [Fact]
    public async Task Schema_export_writes_the_DDL_Marten_and_Wolverine_expect_and_it_matches_the_migrations()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ledger-schema-{Guid.NewGuid():N}");
        try
        {
            var (code, output, _) = await RunAsync("schema-export", "--out", folder, "--db", _connection);

            code.ShouldBe(ExitCodes.Ok);
            output.ShouldContain("marten.sql");
            var marten = await File.ReadAllTextAsync(Path.Combine(folder, "marten.sql"));
            var wolverine = await File.ReadAllTextAsync(Path.Combine(folder, "wolverine.sql"));
            marten.ShouldContain("CREATE TABLE IF NOT EXISTS public.mt_events");
            wolverine.ShouldContain("wolverine_incoming_envelopes");
            // Today's configuration is what the shipped migrations hold.
            var shipped = string.Concat(Ledger.EventStore.Migrations.Migration.Embedded().Select(m => m.Sql));
            shipped.ShouldContain(marten.Trim());
            shipped.ShouldContain(wolverine.Trim());
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
