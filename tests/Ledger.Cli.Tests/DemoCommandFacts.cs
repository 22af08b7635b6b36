namespace Ledger.Cli.Tests;

/// <summary><c>ledger demo --no-serve</c>: a fresh demo folder, the dataset imported, Xishan 2022 reconciled against 37,100,000.</summary>
public sealed class DemoCommandFacts : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-demo-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("LEDGER_DEMO_DATA", null);
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_imports_the_dataset_and_prints_xishan_2022_reconciled_and_jiaxing_s_totals()
    {
        Environment.SetEnvironmentVariable("LEDGER_DEMO_DATA", _folder);
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await LedgerCli.RunAsync(["demo", "--no-serve"], output, error);

        code.ShouldBe(ExitCodes.Ok, error.ToString());
        var text = output.ToString();
        text.ShouldContain("Xishan (320205) 2022, paid basis: ledger 37100000.00 against published 37100000.00: reconciled.");
        text.ShouldContain("嘉兴市 (330400) 2022, paid basis");
        text.ShouldContain("provincial-hidden-champion");
        text.ShouldContain($"--data {_folder}");

        // Recreated each time: a second demo starts from an empty folder and imports everything again.
        var again = new StringWriter();
        (await LedgerCli.RunAsync(["demo", "--no-serve"], again, error)).ShouldBe(ExitCodes.Ok, error.ToString());
        again.ToString().ShouldNotContain("0 new");
    }
}
