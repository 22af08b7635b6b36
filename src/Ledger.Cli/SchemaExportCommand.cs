using System.CommandLine;
using Ledger.EventStore;
using Ledger.Reference;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Weasel.Core.Migrations;
using Wolverine.Runtime;

namespace Ledger.Cli;

/// <summary>
/// <c>ledger schema-export --out DIR</c>: the DDL Marten and Wolverine expect for the ledger's configuration, as the
/// first step of the next migration (docs/operations.md). Writes files only; changes no database.
/// </summary>
internal static class SchemaExportCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "Folder to write marten.sql and wolverine.sql into.", Required = true };

    public static Command Create(TextWriter output)
    {
        var command = new Command("schema-export", "Write the DDL Marten and Wolverine expect for the ledger's configuration (for the next migration); changes no database.");
        command.Options.Add(Out);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parsed.GetValue(Out)!);
            Directory.CreateDirectory(folder);
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), migrate: false, cancellationToken);
            using var host = LedgerApp.Build(database, ReferenceDataLoader.LoadDefault(), new LedgerAppOptions());
            var marten = Path.Combine(folder, "marten.sql");
            var wolverine = Path.Combine(folder, "wolverine.sql");
            await host.Services.GetRequiredService<IDocumentStore>().Storage.WriteCreationScriptToFile(marten);
            await ((IDatabase)host.Services.GetRequiredService<IWolverineRuntime>().Storage).WriteCreationScriptToFileAsync(wolverine, cancellationToken);
            await output.WriteLineAsync($"Wrote {marten} and {wolverine}: diff them against migrations/ and add what changed as the next numbered file.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
