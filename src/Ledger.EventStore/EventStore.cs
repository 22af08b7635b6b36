using System.Text.Json;
using Ledger.EventStore.Serialization;
using NodaTime;
using Npgsql;

namespace Ledger.EventStore;

/// <summary>
/// The append-only event log on PostgreSQL: gapless global <c>seq</c>, optimistic concurrency per
/// stream, idempotent commands, a SHA-256 hash chain, inline projections and time-travel reads.
/// Shaped like Marten's <c>IDocumentSession.Events</c> so that a later move is mechanical.
/// </summary>
public sealed partial class EventStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<IInlineProjection> _projections;

    /// <summary>Creates the store over the application data source (role <c>ledger_app</c>).</summary>
    public EventStore(NpgsqlDataSource dataSource, EventTypeRegistry types, IEnumerable<IInlineProjection>? projections = null)
    {
        _dataSource = dataSource;
        Types = types;
        _projections = projections?.ToArray() ?? [];
    }

    /// <summary>The event types this store reads and writes.</summary>
    public EventTypeRegistry Types { get; }

    /// <summary>The data source application work runs on.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    private object Deserialize(string eventType, string json) =>
        JsonSerializer.Deserialize(json, Types.TypeOf(eventType), LedgerJson.Options)
        ?? throw new InvalidOperationException($"event of type {eventType} holds null");

    private static EventMetadata DeserializeMetadata(string json) =>
        JsonSerializer.Deserialize<EventMetadata>(json, LedgerJson.Options)
        ?? throw new InvalidOperationException("event metadata holds null");

    // A NodaTime tick is 100 ns: ten to the microsecond PostgreSQL stores.
    internal static Instant FromMicros(long micros) => Instant.FromUnixTimeTicks(checked(micros * 10));

    internal static Instant ToInstant(DateTime utc) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
