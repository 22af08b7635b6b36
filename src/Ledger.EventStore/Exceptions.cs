namespace Ledger.EventStore;

/// <summary>The stream moved since the caller read it (or, for a new stream, someone started it first); reload, decide again, retry.</summary>
public sealed class ConcurrencyException(Guid streamId, bool streamExisted, bool retryable = false, Exception? inner = null, string? message = null)
    : Exception(message ?? (streamExisted
        ? $"stream {streamId} already exists: someone else started it first. Reload and try again."
        : $"stream {streamId} changed since the command read it: someone else changed it first. Reload and try again."), inner)
{
    /// <summary>
    /// PostgreSQL rolled the command back because another writer held the streams it wanted and wanted the ones it held:
    /// nothing was written and nothing it read need be stale, so it may decide again.
    /// </summary>
    public static ConcurrencyException Deadlock(Exception inner) => new(Guid.Empty, streamExisted: false, retryable: true, inner,
        "another command was writing the same streams at the same moment and nothing of this one was written. Try again.");

    /// <summary>The contested stream (empty when PostgreSQL named only the constraint).</summary>
    public Guid StreamId { get; } = streamId;

    /// <summary>True when the stream is one the command read to decide but did not aim at: deciding again on fresh state is safe.</summary>
    public bool Retryable { get; } = retryable;
}

/// <summary>An idempotency key came back with a different command than the one it first carried.</summary>
public sealed class IdempotencyConflictException(string key)
    : Exception($"idempotency key '{key}' was already used for a different command; use a new key for a new command.")
{
    /// <summary>The reused key.</summary>
    public string Key { get; } = key;
}

/// <summary>Two first uses of one idempotency key committed at once; the loser asks for the winner's result.</summary>
public sealed class IdempotencyRaceException(Exception inner)
    : Exception("another command under the same idempotency key committed first", inner);
