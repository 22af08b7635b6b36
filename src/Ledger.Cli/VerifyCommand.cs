using System.CommandLine;
using System.Text.Json;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using NodaTime.Text;

namespace Ledger.Cli;

/// <summary><c>ledger verify</c>: recompute the hash chain; exit 1 naming the first broken seq.</summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("verify", "Recompute the event log's SHA-256 hash chain from seq 1 and report the first broken event.");
        command.Options.Add(LedgerCli.FormatOption);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), cancellationToken);
            var result = await LedgerCli.Store(database).VerifyAsync(cancellationToken: cancellationToken);
            var at = result.Head.RecordedAt is { } instant ? InstantPattern.ExtendedIso.Format(instant) : "";
            switch (parsed.GetValue(LedgerCli.FormatOption))
            {
                case OutputFormat.Json:
                    await output.WriteLineAsync(JsonSerializer.Serialize(result, LedgerJson.Options));
                    break;
                case OutputFormat.Csv:
                    await output.WriteLineAsync("ok,events_checked,broken_seq,reason,head_seq,head_hash,head_recorded_at");
                    await output.WriteLineAsync($"{(result.Ok ? "true" : "false")},{result.EventsChecked},{result.BrokenSeq},\"{result.Reason?.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{result.Head.Seq},{result.Head.HashHex},{at}");
                    break;
                default:
                    await output.WriteLineAsync(result.Ok
                        ? $"Chain verified: {result.EventsChecked} event(s), head seq {result.Head.Seq}, hash {result.Head.HashHex}, recorded {at}"
                        : $"Chain BROKEN at seq {result.BrokenSeq}: {result.Reason}. {result.EventsChecked} event(s) before it verified (last good seq {result.Head.Seq}).");
                    break;
            }
            return result.Ok ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}
