namespace Ledger.Cli.Tests;

/// <summary>
/// <c>generate</c> then <c>import</c>: a generated book (renewals, upgrades, lowerings, split funding, returns paid again,
/// clawbacks) goes through the importer's deciders whole, every row accounted for, and imports again as "0 new".
/// </summary>
public sealed class GenerateImportFacts : CliDatabase
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-roundtrip-{Guid.NewGuid():N}");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = Database.Owner.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private int Rows(string file) => File.Exists(Path.Combine(_folder, file)) ? File.ReadLines(Path.Combine(_folder, file)).Count(l => l.Length > 0) - 1 : 0;

    [Fact]
    public async Task A_generated_book_imports_whole_and_again_as_0_new()
    {
        (await RunAsync("generate", "--enterprises", "1500", "--seed", "11", "--out", _folder)).Code.ShouldBe(ExitCodes.Ok);

        var (code, output, error) = await RunAsync("import", _folder, "--actor", "round-trip");

        code.ShouldBe(ExitCodes.Ok, error.Length > 4000 ? error[..4000] : error);
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'enterprise-registered'")).ShouldBe(Rows("enterprises.csv"));
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'disbursement-paid'")).ShouldBe(Rows("payments.csv"));
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'disbursement-returned'")).ShouldBe(Rows("returns.csv"));
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'award-redetermined'")).ShouldBe(Rows("awards.csv"));
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'clawback-demanded'")).ShouldBe(Rows("clawbacks.csv"));
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type IN ('designation-recognized', 'renewal-reviewed', 'renewal-imported-without-base')"))
            .ShouldBe(Rows("recognitions.csv"));
        output.ShouldContain("1 transaction(s)");
        var events = await CountAsync("SELECT count(*) FROM mt_events");

        var again = await RunAsync("import", _folder);

        again.Code.ShouldBe(ExitCodes.Ok, again.Err);
        again.Out.ShouldContain("0 new");
        (await CountAsync("SELECT count(*) FROM mt_events")).ShouldBe(events);
        (await RunAsync("verify")).Code.ShouldBe(ExitCodes.Ok);
    }
}
