using System.CommandLine;
using Ledger.EventStore;
using Ledger.EventStore.Embedded;
using Ledger.PublishedFigures;
using Ledger.Reference;
using Ledger.Reports;

namespace Ledger.Cli;

/// <summary>
/// <c>ledger demo</c>: a fresh demo ledger in its own embedded data folder (recreated each time; never <c>LEDGER_DB</c>,
/// so it cannot touch a real server), the demo dataset imported, the Xishan 2022 reconciliation and Jiaxing's 2022
/// totals printed; then it serves like <c>up</c> until Ctrl-C (<c>--no-serve</c> stops after printing).
/// </summary>
internal static class DemoCommand
{
    /// <summary>Overrides where the demo's data folder is (default: the embedded default folder's name + "-demo").</summary>
    internal const string FolderVariable = "LEDGER_DEMO_DATA";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after printing the reconciliation and the totals." };
        var command = new Command("demo",
            "A fresh demo ledger (its own embedded folder, recreated each time): imports the demo dataset, prints Xishan's 2022 reconciliation and Jiaxing's 2022 totals, then serves like 'up'.");
        command.Options.Add(noServe);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var reference = ReferenceDataLoader.LoadDefault();
            var folder = Folder();
            Recreate(folder);
            var options = new LedgerDatabaseOptions { Embedded = new EmbeddedPostgresOptions { DataRoot = folder } };
            await using var database = await LedgerDatabase.OpenAsync(options, cancellationToken: cancellationToken);
            var serve = !parsed.GetValue(noServe);
            await using var web = Api.LedgerApi.Build(database, reference, LedgerCli.AppOptions(), serve ? null : "http://127.0.0.1:0");
            await web.StartAsync(cancellationToken);
            var app = Api.LedgerApi.Ledger(web);
            var dataset = Path.Combine(AppContext.BaseDirectory, "Demo", "dataset");
            var summary = await Progress.RunAsync(error, "demo import",
                progress => app.Importer.ImportAsync(dataset, new Caller("demo", "import", OsUser: Environment.UserName), progress, cancellationToken));
            await output.WriteLineAsync($"Demo ledger in {folder} (embedded PostgreSQL at {database.Description}).");
            await output.WriteLineAsync(ImportCommand.Describe(summary));
            await output.WriteLineAsync();

            var xishan = ReportDocuments.Of(await app.Reports.ReconcileAsync(new ReconcileQuery("320205", 2022, FigureBasis.Paid), cancellationToken));
            await Output.WriteAsync(output, OutputFormat.Table, xishan, () => ReportCommands.ReconcileGrids(xishan));
            await output.WriteLineAsync($"Xishan (320205) 2022, paid basis: ledger {xishan.LedgerTotalYuan} against published {xishan.PublishedYuan}: {(xishan.Reconciled ? "reconciled" : "NOT reconciled")}.");
            await output.WriteLineAsync();
            foreach (var by in new[] { TotalsBy.County, TotalsBy.Tier })
            {
                var jiaxing = ReportDocuments.Of(await app.Reports.TotalsAsync(new TotalsQuery(2022, "330400", By: by), cancellationToken));
                await Output.WriteAsync(output, OutputFormat.Table, jiaxing, () => ReportCommands.TotalsGrids(jiaxing));
            }
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Point other ledger commands at this demo with --data {folder} (or LEDGER_DATA={folder}), e.g.");
            await output.WriteLineAsync($"  ledger --data {folder} reconcile --jurisdiction 320205 --year 2022 --basis determined");
            var verdict = xishan.Reconciled ? ExitCodes.Ok : ExitCodes.CheckFailed;
            if (!serve)
            {
                await web.StopAsync(CancellationToken.None);
                return verdict;
            }
            await output.WriteLineAsync($"Serving the demo ledger, HTTP API at {string.Join(", ", web.Urls)}; press Ctrl-C to stop (the folder stays until the next demo).");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("Stopping.");
            }
            await web.StopAsync(CancellationToken.None);
            return verdict;
        });
        return command;
    }

    private static string Folder() =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder
            ? Path.GetFullPath(folder)
            : EmbeddedPostgres.DefaultDataRoot() + "-demo";

    /// <summary>Removes the previous demo's folder, unless a running demo still holds it.</summary>
    private static void Recreate(string folder)
    {
        var pidFile = Path.Combine(folder, "pgdata", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}"))
        {
            throw new LedgerEnvironmentException(
                $"a demo ledger is running in {folder} (its server is pid {pid}); stop it (Ctrl-C in its terminal) before starting a new demo, or point other commands at it with --data {folder}.");
        }
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
