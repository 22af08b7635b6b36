using Ledger.EventStore.Embedded;

namespace Ledger.Cli.Tests;

/// <summary>While one process holds the embedded database (as <c>ledger up</c> does), other commands use the same server through the data folder.</summary>
public sealed class SharedDataFolderFacts : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ledger-shared-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_command_run_while_another_process_holds_the_data_folder_works_against_its_server()
    {
        var previous = Environment.GetEnvironmentVariable("LEDGER_DB");
        Environment.SetEnvironmentVariable("LEDGER_DB", null);
        try
        {
            using var held = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = _root, Durable = false });
            var output = new StringWriter();
            var error = new StringWriter();

            (await LedgerCli.RunAsync(["up", "--once", "--urls", "http://127.0.0.1:0", "--data", _root], output, error)).ShouldBe(ExitCodes.Ok, error.ToString());
            output.ToString().ShouldContain($"127.0.0.1:{held.Port}/ledger");
            output.ToString().ShouldContain("started by another ledger process");

            var totals = new StringWriter();
            (await LedgerCli.RunAsync(["totals", "--year", "2024", "--data", _root, "--format", "json"], totals, error)).ShouldBe(ExitCodes.Ok, error.ToString());
            totals.ToString().ShouldContain("\"totalYuan\":\"0.00\"");
            File.Exists(Path.Combine(held.DataDirectory, "postmaster.pid")).ShouldBeTrue("the holder's server is still running");
        }
        finally
        {
            Environment.SetEnvironmentVariable("LEDGER_DB", previous);
        }
    }
}
