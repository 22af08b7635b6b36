namespace Ledger.Cli.Tests;

/// <summary>Marten's and Wolverine's own admin verbs through <c>ledger admin</c>; those that go around the migrations or the rebuild are refused.</summary>
public sealed class AdminCommandFacts : CliDatabase
{
    [Fact]
    public async Task Db_assert_finds_the_migrated_database_as_Marten_and_Wolverine_expect_it()
    {
        var (code, _, error) = await RunAsync("admin", "db-assert");

        code.ShouldBe(ExitCodes.Ok, error);
    }

    [Fact]
    public async Task Db_patch_writes_no_change_for_a_database_the_migrations_built()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ledger-patch-{Guid.NewGuid():N}.sql");
        try
        {
            // Marten and Wolverine each name the database; db-patch wants one of them.
            var database = new Npgsql.NpgsqlConnectionStringBuilder(Connection).Database;
            var (code, output, error) = await RunAsync("admin", "db-patch", file, "-d", $"postgresql://127.0.0.1/{database}/public");

            code.ShouldBe(ExitCodes.Ok, error + output);
            if (File.Exists(file))
            {
                (await File.ReadAllLinesAsync(file)).Where(l => l.TrimStart().StartsWith("CREATE", StringComparison.OrdinalIgnoreCase) || l.TrimStart().StartsWith("ALTER", StringComparison.OrdinalIgnoreCase))
                    .ShouldBeEmpty("the shipped migrations already hold the schema");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("db-apply", "ledger migrate")]
    [InlineData("projections", "ledger rebuild")]
    [InlineData("resources", "resources check")]
    [InlineData("drop-everything", "is not one of")]
    public async Task Verbs_that_go_around_the_migrations_or_the_rebuild_are_refused(string verb, string named)
    {
        var events = await EventsAsync();

        var (code, _, error) = await RunAsync("admin", verb);

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain(named);
        (await EventsAsync()).ShouldBe(events);
    }
}
