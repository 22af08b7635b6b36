using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Reference;
using Ledger.Testing;

namespace Ledger.Cli.Tests;

public sealed class RebuildCommandFacts : CliDatabase
{
    [Fact]
    public async Task Rebuild_replays_the_events_reports_progress_on_stderr_and_finds_the_tables_identical()
    {
        await using (var app = await LedgerApp.StartAsync(Database, ReferenceDataLoader.LoadDefault()))
        {
            foreach (var serial in new[] { "91320205MA1X00001", "91320205MA1X00002" })
            {
                var uscc = serial + Uscc.CheckCharacter(serial);
                await app.SendAsync(new RegisterEnterprise(uscc, $"示例企业{serial[^1]}", "320205", "制造业", null, "", default), new Caller("clerk-li", "clerk"));
            }
        }
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await LedgerCli.RunAsync(["rebuild", "--db", Connection, "--format", "json"], output, error);

        code.ShouldBe(ExitCodes.Ok, error.ToString());
        output.ToString().ShouldContain("\"events\":2");
        output.ToString().ShouldContain("\"identical\":true");
        output.ToString().ShouldContain("{\"table\":\"enterprises\",\"rows\":2,\"missing\":0,\"extra\":0,\"identical\":true}");
        error.ToString().ShouldContain("rebuild: replay 2/2");
        error.ToString().ShouldContain("rebuild: swapped");
    }
}
