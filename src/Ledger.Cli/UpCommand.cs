using System.CommandLine;
using Ledger.EventStore;
using Ledger.Reference;
using Ledger.Treasury;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Cli;

/// <summary><c>ledger up</c>: start (or reach) the database, apply migrations, report, and stay up until Ctrl-C.</summary>
internal static class UpCommand
{
    /// <summary>Where treasury instruction files go; unset, beside the embedded server's data or under the working directory.</summary>
    internal const string TreasuryFolderVariable = "LEDGER_TREASURY";

    private static readonly Option<bool> Once = new("--once") { Description = "Exit after start-up instead of waiting for Ctrl-C." };

    private static readonly Option<string?> Urls = new("--urls") { Description = "Where the HTTP API listens (default: ASPNETCORE_URLS, else http://127.0.0.1:5080)." };

    public static Command Create(TextWriter output)
    {
        var command = new Command("up", "Start the ledger: its database (embedded unless LEDGER_DB is set), migrations and the background handlers; report its state.");
        command.Options.Add(Once);
        command.Options.Add(Urls);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            // Reference data first: a bad file stops start-up (naming file and line) before anything touches the database.
            var reference = ReferenceDataLoader.LoadDefault();
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), cancellationToken: cancellationToken);
            var options = LedgerCli.AppOptions();
            await using var web = Api.LedgerApi.Build(database, reference, options, parsed.GetValue(Urls));
            await web.StartAsync(cancellationToken);
            var app = Api.LedgerApi.Ledger(web);
            var head = await app.Store.HeadAsync(cancellationToken);
            await output.WriteLineAsync(database.Server is { } server
                ? $"Ledger database ready: embedded PostgreSQL at {database.Description}, data in {server.DataRoot}" +
                  (server.OwnerPid is { } owner ? $" (its server, pid {owner}, was started by another ledger process and stops with it)" : "")
                : $"Ledger database ready: {database.Description}");
            await output.WriteLineAsync($"Reference data: {reference.Tiers.Count} tiers, {reference.Divisions.Count} divisions, working-day calendar {reference.Calendar.CoveredYears.Min()}–{reference.Calendar.CoveredYears.Max()} ({ReferenceDataLoader.DefaultDirectory})");
            await output.WriteLineAsync($"Events: {head.Position}; chain head {head.HashHex}");
            await output.WriteLineAsync($"Treasury instructions: {app.Host.Services.GetRequiredService<TreasuryInstructionWriter>().Folder}");
            await output.WriteLineAsync($"HTTP API: {string.Join(", ", web.Urls)} (OpenAPI at /openapi/v1.json, reference at /scalar, tokens from 'ledger users add')");
            if (parsed.GetValue(Once))
            {
                await web.StopAsync(CancellationToken.None);
                return ExitCodes.Ok;
            }
            await output.WriteLineAsync("Press Ctrl-C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("Stopping.");
            }
            await web.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        });
        return command;
    }
}
