using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using Ledger.Treasury;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Cli;

/// <summary><c>ledger outbox</c>: the treasury instructions Wolverine could not write (its dead letters) and how many still wait.</summary>
internal static class OutboxCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("outbox", "List the treasury payment instructions that could not be written (Wolverine's dead letters) and count those still waiting; exit 1 when any could not be written.");
        command.Options.Add(LedgerCli.FormatOption);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            // Only reads: no migration.
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), migrate: false, cancellationToken);
            TreasuryOutboxReport report;
            try
            {
                report = await TreasuryOutbox.ReadAsync(database.App, cancellationToken);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
            {
                throw new LedgerEnvironmentException($"the database at {database.Description} holds no ledger ({e.MessageText}); run 'ledger migrate' first.", e);
            }
            switch (parsed.GetValue(LedgerCli.FormatOption))
            {
                case OutputFormat.Json:
                    await output.WriteLineAsync(JsonSerializer.Serialize(report, LedgerJson.Options));
                    break;
                case OutputFormat.Csv:
                    await output.WriteAsync('\uFEFF');
                    // The dead letters only, one row each; the counts are in the table and JSON forms.
                    await output.WriteLineAsync("id,message_type,disbursement_id,exception_type,exception_message,failed_at");
                    foreach (var d in report.DeadLetters)
                    {
                        await output.WriteLineAsync(string.Join(',', new[]
                        {
                            d.Id.ToString(), d.MessageType, d.DisbursementId?.ToString() ?? "", d.ExceptionType ?? "", d.ExceptionMessage ?? "", Format(d.FailedAt),
                        }.Select(Csv)));
                    }
                    break;
                default:
                    await WriteTableAsync(output, report);
                    break;
            }
            return report.DeadLetters.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static async Task WriteTableAsync(TextWriter output, TreasuryOutboxReport report)
    {
        await output.WriteLineAsync(report.DeadLetters.Count == 0
            ? "Treasury instructions that could not be written: none"
            : $"Treasury instructions that could not be written: {report.DeadLetters.Count}");
        if (report.DeadLetters.Count > 0)
        {
            string[] header = ["id", "message type", "disbursement", "failed at", "exception"];
            var rows = report.DeadLetters
                .Select(d => new[] { d.Id.ToString(), d.MessageType, d.DisbursementId?.ToString() ?? "?", Format(d.FailedAt), $"{d.ExceptionType}: {d.ExceptionMessage}" })
                .ToList();
            var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
            foreach (var row in rows.Prepend(header))
            {
                // The exception, last, is not padded.
                await output.WriteLineAsync("  " + string.Join("  ", row.Select((cell, i) => i < row.Length - 1 ? cell.PadRight(widths[i]) : cell)));
            }
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Waiting to be written: {report.Waiting} (incoming {report.WaitingIncoming}, outgoing {report.WaitingOutgoing})"));
    }

    private static string Format(Instant? instant) => instant is { } at ? InstantPattern.ExtendedIso.Format(at) : "";

    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
