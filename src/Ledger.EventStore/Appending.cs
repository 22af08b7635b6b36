namespace Ledger.EventStore;

/// <summary>Special expected versions.</summary>
public static class ExpectedVersion
{
    /// <summary>Append whatever the stream's version.</summary>
    public const long Any = -1;

    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;
}

/// <summary>Events to append to one stream.</summary>
/// <param name="StreamId">The stream (aggregate) id.</param>
/// <param name="StreamType">The aggregate kind, e.g. <c>enterprise</c>.</param>
/// <param name="ExpectedVersion">The version the caller decided on; see <see cref="Ledger.EventStore.ExpectedVersion"/>.</param>
/// <param name="CountyCode">The division the stream belongs to (the <c>county</c> header of its events).</param>
/// <param name="Events">Event records, each of a registered type.</param>
/// <param name="RetryOnConflict">
/// True for a stream the command did not aim at but read to decide (a budget line, a stack stream, an award a
/// catch-up creates): a conflict there is retried on fresh state; a conflict on the command's own stream goes back to the caller.
/// </param>
public sealed record StreamAppend(
    Guid StreamId,
    string StreamType,
    long ExpectedVersion,
    string CountyCode,
    IReadOnlyList<object> Events,
    bool RetryOnConflict = false);

/// <summary>Where one stream's new events landed; the versions are null for an append at any version.</summary>
public sealed record StreamPosition(Guid StreamId, long? FromVersion, long? ToVersion);

/// <summary>The outcome of one append (one command).</summary>
/// <param name="Streams">Per stream, the versions written.</param>
/// <param name="Replayed">True when the idempotency key was seen before and nothing was appended.</param>
public sealed record AppendResult(IReadOnlyList<StreamPosition> Streams, bool Replayed = false);

/// <summary>One command's events for <see cref="EventStore.AppendBatchAsync"/>.</summary>
/// <param name="Streams">The streams and their events.</param>
/// <param name="Metadata">Who and why.</param>
/// <param name="Fingerprint">Required with an idempotency key: a digest of the command type and payload.</param>
public sealed record CommandAppend(IReadOnlyList<StreamAppend> Streams, EventMetadata Metadata, string? Fingerprint = null);
