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
        var command = new Command("verify", "Recompute the event log's SHA-256 hash chain from position 1 and report the first broken event.");
        command.Options.Add(LedgerCli.FormatOption);
        command.Options.Add(DigestCommand.DigestOption);
        command.Options.Add(DigestCommand.PublicKeyOption);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var pinned = DigestCommand.ReadPinned(parsed);
            // Verify only reads: no migration, and any role that may SELECT the events and the chain will do.
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), migrate: false, cancellationToken);
            VerifyResult result;
            try
            {
                result = await ChainVerifier.VerifyAsync(database.App, cancellationToken: cancellationToken);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
            {
                throw new LedgerEnvironmentException($"the database at {database.Description} holds no ledger ({e.MessageText}); run 'ledger migrate' first.", e);
            }
            // The digest pins the head it was signed at: the recomputed chain must still hold it.
            var check = pinned is null ? null : await pinned.Digest.CheckAsync(database.App, pinned.PublicKey, cancellationToken);
            var at = result.Head.ChainedAt is { } instant ? InstantPattern.ExtendedIso.Format(instant) : "";
            switch (parsed.GetValue(LedgerCli.FormatOption))
            {
                case OutputFormat.Json:
                    var json = JsonSerializer.SerializeToNode(result, LedgerJson.Options)!.AsObject();
                    if (pinned is not null && check is not null)
                    {
                        json["digest"] = JsonSerializer.SerializeToNode(DigestCommand.Document(pinned, check), LedgerJson.Options);
                    }
                    await output.WriteLineAsync(json.ToJsonString(LedgerJson.Options));
                    break;
                case OutputFormat.Csv:
                    await output.WriteAsync('\uFEFF');
                    await output.WriteLineAsync("ok,events_checked,broken_position,broken_seq,reason,head_position,head_seq,head_hash,head_chained_at" + (check is null ? "" : ",digest_ok,digest_reason"));
                    await output.WriteLineAsync($"{(result.Ok ? "true" : "false")},{result.EventsChecked},{result.BrokenPosition},{result.BrokenSeq},\"{result.Reason?.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{result.Head.Position},{result.Head.Seq},{result.Head.HashHex},{at}"
                        + (check is null ? "" : $",{(check.Ok ? "true" : "false")},{Output.Quote(check.Reason)}"));
                    break;
                default:
                    await output.WriteLineAsync(result.Ok
                        ? $"Chain verified: {result.EventsChecked} event(s), head position {result.Head.Position} (seq_id {result.Head.Seq}), hash {result.Head.HashHex}, chained {at}"
                        : $"Chain BROKEN at seq_id {result.BrokenSeq}{(result.BrokenPosition is { } p ? $" (position {p})" : "")}: {result.Reason}. {result.EventsChecked} event(s) before it verified (last good position {result.Head.Position}).");
                    if (pinned is not null && check is not null)
                    {
                        await output.WriteLineAsync(DigestCommand.Describe(pinned, check));
                    }
                    break;
            }
            return result.Ok && check?.Ok != false ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}
