using System.CommandLine;
using System.Text.Json;
using Ledger.EventStore;
using Ledger.Reference;
using NodaTime;
using NodaTime.Text;

using Ledger.Reports;

namespace Ledger.Cli;

/// <summary><c>ledger events</c>: the audit listing, every event in chain order with its actor, data and chain hash.</summary>
internal static class EventsCommand
{
    private const int MaxLimit = 100_000;

    public static Command Create(TextWriter output)
    {
        var stream = new Option<string?>("--stream") { Description = "Only this stream's events (its UUID)." };
        var type = new Option<string[]>("--type") { Description = "Only events of this stable type name, e.g. disbursement-paid; may repeat." };
        var from = new Option<long>("--from") { Description = "The first chain position to list.", DefaultValueFactory = _ => 1 };
        var since = new Option<string?>("--since") { Description = "Only events chained at or after this instant (ISO-8601 with Z or an offset)." };
        var until = new Option<string?>("--until") { Description = "Only events chained at or before this instant (ISO-8601 with Z or an offset)." };
        var limit = new Option<int>("--limit") { Description = $"At most this many events (1 to {MaxLimit}).", DefaultValueFactory = _ => 1000 };
        var command = new Command("events", "The audit listing in chain order: position, seq, chained_at, stream, version, type, actor, role, idempotency key, data and chain hash.");
        foreach (var option in new Option[] { stream, type, from, since, until, limit, LedgerCli.FormatOption })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var position = parsed.GetValue(from);
            var count = parsed.GetValue(limit);
            var query = new EventListQuery(
                position >= 1 ? position : throw new DomainException("cli.from", $"--from: {position} is not a chain position (1 or more)."),
                parsed.GetValue(stream) is { } text ? Guid.TryParse(text, out var id) ? id : throw new DomainException("cli.stream", $"--stream: '{text}' is not a stream id (a UUID).") : null,
                Types(parsed.GetValue(type) ?? []),
                parsed.GetValue(since) is { } s ? Instants.Parse(since.Name, s) : null,
                parsed.GetValue(until) is { } u ? Instants.Parse(until.Name, u) : null,
                count is >= 1 and <= MaxLimit ? count : throw new DomainException("cli.limit", $"--limit: {count} is not between 1 and {MaxLimit}."));
            if (query is { Since: { } first, Until: { } last } && first > last)
            {
                throw new DomainException("cli.since", $"--since {Format(first)} is after --until {Format(last)}.");
            }

            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), migrate: false, cancellationToken);
            using var readSide = new LedgerReadSide(database, ReferenceDataLoader.LoadDefault());
            EventListing listing;
            try
            {
                listing = await readSide.Store.ListEventsAsync(query, cancellationToken);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
            {
                throw new LedgerEnvironmentException($"the database at {database.Description} holds no ledger ({e.MessageText}); run 'ledger migrate' first.", e);
            }
            var format = parsed.GetValue(LedgerCli.FormatOption);
            if (format == OutputFormat.Table)
            {
                await WriteTableAsync(output, listing);
                return ExitCodes.Ok;
            }
            await Output.WriteAsync(output, format, format == OutputFormat.Json ? EventsDocument.Of(query, listing) : listing, () =>
            [
                new Output.Grid(["position", "seq", "chained_at", "stream", "version", "type", "actor", "role", "idempotency_key", "data", "hash"],
                    [.. listing.Events.Select(e => (IReadOnlyList<string?>)[Output.Number(e.Position), Output.Number(e.Seq), Format(e.ChainedAt), e.StreamId?.ToString(),
                        Output.Number(e.StreamVersion), e.EventType, e.Actor, e.Role, e.IdempotencyKey, e.DataJson, e.HashHex])]),
            ]);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// One line per event, the data last and neither padded nor wrapped: a table that wraps a long JSON document into a
    /// narrow column (or a hash across lines) cannot be read or copied.
    /// </summary>
    private static async Task WriteTableAsync(TextWriter output, EventListing listing)
    {
        string[] header = ["position", "seq", "chained_at", "stream", "version", "type", "actor", "role", "idempotency_key", "hash", "data"];
        var rows = listing.Events
            .Select(e => new[] { Output.Number(e.Position), Output.Number(e.Seq), Format(e.ChainedAt), e.StreamId?.ToString() ?? "", Output.Number(e.StreamVersion),
                e.EventType, e.Actor ?? "", e.Role ?? "", e.IdempotencyKey ?? "", e.HashHex, e.DataJson })
            .ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) =>
                i == row.Length - 1 ? cell : i is 0 or 1 or 4 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))));
        }
        await output.WriteLineAsync($"{listing.Events.Count} event(s)" + (listing.Next is { } next ? $"; more from position {next} (--from {next})" : ""));
    }

    private static string[]? Types(string[] given)
    {
        if (given.Length == 0)
        {
            return null;
        }
        // A misspelt type would list nothing and look like an answer.
        var known = LedgerApp.EventTypes.Names;
        foreach (var name in given)
        {
            if (!known.Contains(name))
            {
                throw new DomainException("cli.type", $"--type: '{name}' is not an event type of this ledger; the types are {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
        return [.. given.Distinct(StringComparer.Ordinal)];
    }

    private static string Format(Instant instant) => InstantPattern.ExtendedIso.Format(instant);
}
