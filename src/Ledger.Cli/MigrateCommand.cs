using System.CommandLine;
using Ledger.EventStore;
using Ledger.EventStore.Migrations;

namespace Ledger.Cli;

/// <summary><c>ledger migrate</c>: apply pending migrations and list what the database holds.</summary>
internal static class MigrateCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("migrate", "Apply the numbered SQL migrations the database lacks (each once, in order, checksummed).");
        command.SetAction(async (parsed, cancellationToken) =>
        {
            // Opening applies the migrations; the second pass only reports that nothing is left.
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), cancellationToken: cancellationToken);
            var pending = await new Migrator(database.Owner).ApplyAsync(Migration.Embedded(), cancellationToken);
            var all = Migration.Embedded();
            await output.WriteLineAsync($"{database.Description}: {all.Count} migration(s) applied, {pending.Count} were pending now.");
            foreach (var migration in all)
            {
                await output.WriteLineAsync($"  {migration.FileName}  {migration.Checksum[..12]}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
