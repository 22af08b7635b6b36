using NodaTime;

namespace Ledger.EventStore;

/// <summary>An event as the log holds it.</summary>
public sealed record StoredEvent(
    long Seq,
    Guid EventId,
    Guid StreamId,
    long StreamVersion,
    string EventType,
    object Data,
    EventMetadata Metadata,
    string CountyCode,
    Instant RecordedAt,
    byte[] PrevHash,
    byte[] Hash);

/// <summary>How far to read: up to a stream version, a global seq, or an instant (inclusive). Null fields do not limit.</summary>
public sealed record ReadLimit(long? UpToVersion = null, long? UpToSeq = null, Instant? AsOf = null)
{
    /// <summary>No limit: the current state.</summary>
    public static ReadLimit None { get; } = new();

    /// <summary>Up to and including a stream version.</summary>
    public static ReadLimit AtVersion(long version) => new(UpToVersion: version);

    /// <summary>Up to and including a global seq.</summary>
    public static ReadLimit AtSeq(long seq) => new(UpToSeq: seq);

    /// <summary>What the books said at an instant (recorded at or before it).</summary>
    public static ReadLimit At(Instant instant) => new(AsOf: instant);
}
