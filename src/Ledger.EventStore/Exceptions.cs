namespace Ledger.EventStore;

/// <summary>The stream moved since the caller read it; reload, decide again, retry.</summary>
public sealed class ConcurrencyException(Guid streamId, long expectedVersion, long actualVersion)
    : Exception($"stream {streamId} is at version {actualVersion}, but the command expected {expectedVersion}: someone else changed it first. Reload and try again.")
{
    /// <summary>The contested stream.</summary>
    public Guid StreamId { get; } = streamId;

    /// <summary>The version the command was decided on.</summary>
    public long ExpectedVersion { get; } = expectedVersion;

    /// <summary>The version the stream had.</summary>
    public long ActualVersion { get; } = actualVersion;
}

/// <summary>An idempotency key came back with a different command than the one it first carried.</summary>
public sealed class IdempotencyConflictException(string key)
    : Exception($"idempotency key '{key}' was already used for a different command; use a new key for a new command.")
{
    /// <summary>The reused key.</summary>
    public string Key { get; } = key;
}

/// <summary>Another stream of the same type holds the natural key (e.g. a USCC already registered).</summary>
public sealed class NaturalKeyTakenException(string streamType, string naturalKey, Guid existingStreamId)
    : Exception($"the {streamType} key '{naturalKey}' is already held by stream {existingStreamId}.")
{
    /// <summary>The stream type.</summary>
    public string StreamType { get; } = streamType;

    /// <summary>The contested key.</summary>
    public string NaturalKey { get; } = naturalKey;

    /// <summary>The stream that holds it.</summary>
    public Guid ExistingStreamId { get; } = existingStreamId;
}
