using NodaTime;

namespace Ledger.EventStore;

/// <summary>An event as the log holds it, with its link in the hash chain.</summary>
/// <param name="Position">Its place in the chain: commit order, gapless from 1.</param>
/// <param name="Seq">Marten's <c>seq_id</c> (may have gaps).</param>
/// <param name="EventId">The event's id.</param>
/// <param name="StreamId">Its stream.</param>
/// <param name="StreamVersion">Its version within the stream.</param>
/// <param name="EventType">Its stable name.</param>
/// <param name="Data">The event record.</param>
/// <param name="Metadata">Who and why.</param>
/// <param name="CountyCode">The division its stream belongs to.</param>
/// <param name="Timestamp">Marten's timestamp (the appending transaction's start).</param>
/// <param name="ChainedAt">When it was linked into the chain, under the chain's lock at commit.</param>
/// <param name="Hash">Its chain hash.</param>
public sealed record StoredEvent(
    long Position,
    long Seq,
    Guid EventId,
    Guid StreamId,
    long StreamVersion,
    string EventType,
    object Data,
    EventMetadata Metadata,
    string CountyCode,
    Instant Timestamp,
    Instant ChainedAt,
    byte[] Hash);

/// <summary>How far to read: up to a stream version, a seq, a chain position or an instant (inclusive). Null fields do not limit.</summary>
public sealed record ReadLimit(long? UpToVersion = null, long? UpToSeq = null, Instant? AsOf = null, long? UpToPosition = null)
{
    /// <summary>No limit: the current state.</summary>
    public static ReadLimit None { get; } = new();

    /// <summary>Up to and including a stream version.</summary>
    public static ReadLimit AtVersion(long version) => new(UpToVersion: version);

    /// <summary>Up to and including a Marten seq_id.</summary>
    public static ReadLimit AtSeq(long seq) => new(UpToSeq: seq);

    /// <summary>Up to and including a chain position.</summary>
    public static ReadLimit AtPosition(long position) => new(UpToPosition: position);

    /// <summary>What the books said at an instant: events chained at or before it.</summary>
    public static ReadLimit At(Instant instant) => new(AsOf: instant);
}
