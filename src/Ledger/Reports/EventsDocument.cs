using System.Text.Json;
using Ledger.EventStore;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Reports;

/// <summary>The audit listing as one JSON document (<c>ledger events --format json</c>, <c>GET /api/events</c>): the filter, the events, where to go on.</summary>
public sealed record EventsDocument(EventsFilter Filter, IReadOnlyList<EventsLine> Events, long? Next)
{
    public static EventsDocument Of(EventListQuery query, EventListing listing) => new(
        new EventsFilter(query.StreamId, query.EventTypes ?? [], query.FromPosition, query.Since is { } s ? Format(s) : null, query.Until is { } u ? Format(u) : null, query.Limit),
        [.. listing.Events.Select(e => new EventsLine(e.Position, e.Seq, Format(e.ChainedAt), e.StreamId, e.StreamVersion, e.EventType, e.Actor, e.Role, e.IdempotencyKey,
            JsonSerializer.Deserialize<JsonElement>(e.DataJson), e.HashHex))],
        listing.Next);

    private static string Format(Instant instant) => InstantPattern.ExtendedIso.Format(instant);
}

public sealed record EventsFilter(Guid? Stream, IReadOnlyCollection<string> Types, long From, string? Since, string? Until, int Limit);

public sealed record EventsLine(long Position, long Seq, string ChainedAt, Guid? StreamId, long StreamVersion, string Type, string? Actor, string? Role,
    string? IdempotencyKey, JsonElement Data, string Hash);
