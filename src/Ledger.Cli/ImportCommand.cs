using System.CommandLine;
using System.Globalization;
using Ledger.Imports;

namespace Ledger.Cli;

/// <summary><c>ledger import &lt;file or folder&gt;</c>: a county's spreadsheets in the import format (docs/import-format.md).</summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var path = new Argument<string>("path") { Description = "A folder of import files (policies.csv, enterprises.csv, …) or one such file." };
        var format = new Option<OutputFormat>("--format") { Description = "table or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("import",
            "Import a county's files: every row is checked first (all bad rows listed, nothing written); then one transaction, or resumable batches above 100,000 rows. Files the ledger holds already write nothing.");
        command.Arguments.Add(path);
        command.Options.Add(Writing.ActorOption);
        command.Options.Add(format);
        command.SetAction(async (parsed, ct) => await Writing.WithAppAsync(parsed, async (app, caller) =>
        {
            var summary = await Progress.RunAsync(error, "import", progress => app.Importer.ImportAsync(parsed.GetValue(path)!, caller, progress, ct));
            if (parsed.GetValue(format) == OutputFormat.Json)
            {
                await Output.WriteAsync(output, OutputFormat.Json, new
                {
                    summary.ImportBatch, summary.ImportId, summary.Files, summary.Rows, summary.NewEvents, summary.Commits, summary.Resumed,
                    summary.WaitedForAnotherImport, ElapsedSeconds = Math.Round(summary.Elapsed.TotalSeconds, 3), New = summary.New,
                }, () => []);
            }
            else
            {
                await output.WriteLineAsync(Describe(summary));
            }
            return ExitCodes.Ok;
        }, "import", ct));
        return command;
    }

    public static string Describe(ImportSummary s)
    {
        var n = s.New;
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"import {s.ImportBatch}: {s.Rows:N0} rows in {s.Files.Count} file(s) ({string.Join(", ", s.Files)}); ") +
            (s.NewEvents == 0
                ? "0 new: the ledger already holds every row."
                : string.Create(CultureInfo.InvariantCulture,
                    $"{n.New:N0} new, {s.NewEvents:N0} events in {s.Commits} transaction(s), {s.Elapsed.TotalSeconds:0.0} s{(s.Resumed ? "; finished an import of these files that had stopped midway" : "")}.")),
            string.Create(CultureInfo.InvariantCulture,
                $"  new: policies {n.Policies} · enterprises {n.Enterprises} · budget lines {n.BudgetLines} · recognitions {n.Recognitions} · renewals {n.Renewals} · awards {n.Awards} · lowerings {n.Lowerings} · payments {n.Payments} · returns {n.Returns} · clawbacks {n.Clawbacks} · repayments {n.Repayments} · published figures {n.Figures}; already held {n.Held}"),
        };
        if (n.PrerequisiteOverrides + n.RenewalsWithoutBase > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  imported with a recorded override: {n.PrerequisiteOverrides} recognition(s) without their prerequisite record, {n.RenewalsWithoutBase} renewal(s) without their base designation (ledger events --type designation-recognized lists the skipped rules)"));
        }
        if (s.WaitedForAnotherImport)
        {
            lines.Add("  another import was running when this one started; it waited for it to finish.");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
