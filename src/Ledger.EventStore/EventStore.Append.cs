using System.Text.Json;
using JasperFx.Events;
using Ledger.EventStore.Serialization;
using Marten;
using Marten.Events;
using Npgsql;

namespace Ledger.EventStore;

public sealed partial class EventStore
{
    /// <summary>Appends one stream's events as one command.</summary>
    public Task<AppendResult> AppendAsync(StreamAppend append, EventMetadata metadata, string? fingerprint = null, CancellationToken cancellationToken = default) =>
        AppendAsync([append], metadata, fingerprint, cancellationToken);

    /// <summary>
    /// Appends one command's events, possibly to several streams, atomically, with the idempotency record of the key
    /// in <paramref name="metadata"/>, if any: a second append under a used key appends nothing and throws
    /// <see cref="IdempotencyRaceException"/> (callers look the key up first, <see cref="IdempotentResultAsync"/>).
    /// A stale expected version throws <see cref="ConcurrencyException"/>.
    /// </summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<StreamAppend> streams, EventMetadata metadata, string? fingerprint = null, CancellationToken cancellationToken = default) =>
        (await AppendBatchAsync([new CommandAppend(streams, metadata, fingerprint)], cancellationToken))[0];

    /// <summary>
    /// Appends many commands in one transaction and one <c>SaveChangesAsync</c> (imports, bursts): all or
    /// none. Results come back in the order of <paramref name="commands"/>.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<CommandAppend> commands, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(commands.Count);
        await using var session = Marten.LightweightSession();
        var pending = commands.Select(c => Stage(session, c)).ToList();
        await SaveAsync(session, [.. pending], cancellationToken);
        return [.. pending.Select(p => p.Result())];
    }

    /// <summary>
    /// Puts one command's appends and its idempotency record into <paramref name="session"/>; the caller saves.
    /// Returns what the append will have written once saved.
    /// </summary>
    public static PendingAppend Stage(IDocumentSession session, CommandAppend command)
    {
        var metadata = command.Metadata;
        session.CorrelationId = metadata.CorrelationId.ToString();
        session.CausationId = metadata.CausationId?.ToString();
        session.LastModifiedBy = metadata.Actor;
        var actions = new List<(StreamAppend Append, StreamAction Action)>();
        foreach (var append in command.Streams)
        {
            var events = append.Events.ToArray();
            var action = append.ExpectedVersion switch
            {
                ExpectedVersion.NoStream => session.Events.StartStream(append.StreamId, events),
                ExpectedVersion.Any => session.Events.Append(append.StreamId, events),
                // Marten's expected version is the one after the append.
                var version => session.Events.Append(append.StreamId, version + events.Length, events),
            };
            var headers = Headers(metadata, append);
            foreach (var e in action.Events)
            {
                e.CorrelationId = session.CorrelationId;
                e.CausationId = session.CausationId;
                e.UserName = metadata.Actor;
                foreach (var (name, value) in headers)
                {
                    e.SetHeader(name, value);
                }
            }
            actions.Add((append, action));
        }
        var pending = new PendingAppend(actions);
        if (metadata.IdempotencyKey is { } idempotencyKey)
        {
            ArgumentNullException.ThrowIfNull(command.Fingerprint);
            // The planned result: the versions each stream will reach (an Any append learns its version on save).
            session.QueueSqlCommand(
                "INSERT INTO idempotency_keys (key, fingerprint, actor, result) VALUES (?, ?, ?, ?::jsonb)",
                idempotencyKey, command.Fingerprint, metadata.Actor, JsonSerializer.Serialize(pending.Planned(), LedgerJson.Options));
        }
        return pending;
    }

    /// <summary>The headers every event of <paramref name="stream"/> carries: role, county, stream type and, when given, idempotency key, reason and OS user.</summary>
    private static Dictionary<string, object> Headers(EventMetadata metadata, StreamAppend stream)
    {
        var headers = new Dictionary<string, object>
        {
            [LedgerHeaders.Role] = metadata.Role,
            [LedgerHeaders.County] = stream.CountyCode,
            [LedgerHeaders.StreamType] = stream.StreamType,
        };
        if (metadata.IdempotencyKey is { } key)
        {
            headers[LedgerHeaders.IdempotencyKey] = key;
        }
        if (metadata.Reason is { } reason)
        {
            headers[LedgerHeaders.Reason] = reason;
        }
        if (metadata.OsUser is { } osUser)
        {
            headers[LedgerHeaders.OsUser] = osUser;
        }
        return headers;
    }

    /// <summary>Saves the session, turning Marten's and PostgreSQL's refusals into the ledger's typed errors.</summary>
    public static Task SaveAsync(IDocumentSession session, PendingAppend pending, CancellationToken cancellationToken) =>
        SaveAsync(session, [pending], cancellationToken);

    private static async Task SaveAsync(IDocumentSession session, IReadOnlyList<PendingAppend> pending, CancellationToken cancellationToken)
    {
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // A retry may run in the same session (Wolverine keeps one per message): nothing of this attempt may go with it.
            session.EjectAllPendingChanges();
            var translated = Translate(e, pending);
            if (e is EventStreamUnexpectedMaxEventIdException)
            {
                translated = await StreamThatMovedAsync(session.DocumentStore, pending, e, cancellationToken) ?? translated;
            }
            if (translated is not null)
            {
                throw translated;
            }
            throw;
        }
    }

    /// <summary>
    /// The first result of a command already appended under <paramref name="idempotencyKey"/>, or null.
    /// Handlers ask before deciding, so a retry is answered even when deciding again would now fail (an
    /// enterprise cannot be registered twice); the key's primary key settles two first uses at once.
    /// </summary>
    public async Task<AppendResult?> IdempotentResultAsync(string idempotencyKey, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("SELECT fingerprint, result::text FROM idempotency_keys WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = idempotencyKey });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        if (reader.GetString(0) != fingerprint)
        {
            throw new IdempotencyConflictException(idempotencyKey);
        }
        var streams = JsonSerializer.Deserialize<List<StreamPosition>>(reader.GetString(1), LedgerJson.Options) ?? [];
        return new AppendResult(streams, Replayed: true);
    }

    /// <summary>
    /// Which of the command's streams moved since it read them. Marten attributes a version mismatch raised inside a
    /// batch to the batch's first append, not necessarily the stream that failed, so the database is asked: a
    /// command's own stream that moved goes back to the caller; if only streams it read to decide moved, it may retry.
    /// </summary>
    private static async Task<ConcurrencyException?> StreamThatMovedAsync(IDocumentStore store, IReadOnlyList<PendingAppend> pending, Exception e, CancellationToken cancellationToken)
    {
        var moved = new List<Guid>();
        await using var query = store.QuerySession();
        foreach (var append in pending.SelectMany(p => p.Appends).Where(a => a.ExpectedVersion > 0))
        {
            if (((await query.Events.FetchStreamStateAsync(append.StreamId, cancellationToken))?.Version ?? 0) != append.ExpectedVersion)
            {
                moved.Add(append.StreamId);
            }
        }
        if (moved.Count == 0)
        {
            return null;
        }
        var own = moved.Where(id => !pending.Any(p => p.RetriesOnConflict(id))).ToList();
        return own.Count > 0
            ? new ConcurrencyException(own[0], streamExisted: false, retryable: false, e)
            : new ConcurrencyException(moved[0], streamExisted: false, retryable: true, e);
    }

    private static Exception? Translate(Exception e, IReadOnlyList<PendingAppend> pending)
    {
        ConcurrencyException Conflict(object? id, bool existed)
        {
            var stream = AsGuid(id);
            return new ConcurrencyException(stream, existed, pending.Any(p => p.RetriesOnConflict(stream)), e);
        }
        switch (e)
        {
            case EventStreamUnexpectedMaxEventIdException conflict:
                return Conflict(conflict.Id, existed: false);
            case global::Marten.Exceptions.ExistingStreamIdCollisionException collision:
                return Conflict(collision.Id, existed: true);
            case JasperFx.Events.ExistingStreamIdCollisionException collision:
                return Conflict(collision.Id, existed: true);
        }
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected })
            {
                return ConcurrencyException.Deadlock(e);
            }
            if (inner is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
            {
                return unique.ConstraintName switch
                {
                    "idempotency_keys_pkey" => new IdempotencyRaceException(e),
                    // Two appends at any version took the same next version: the command did not read the stream, so it may go again.
                    "pk_mt_events_stream_and_version" => AnyVersionConflict(pending, e),
                    "pkey_mt_streams_id" => new ConcurrencyException(Guid.Empty, streamExisted: true, retryable: false, e),
                    // The read tables' own keys (vouchers, disbursement ids): the handler names what was taken.
                    _ => e == unique ? null : unique,
                };
            }
        }
        return null;
    }

    private static ConcurrencyException AnyVersionConflict(IReadOnlyList<PendingAppend> pending, Exception e)
    {
        var anyVersion = pending.SelectMany(p => p.AnyVersionStreams).Distinct().ToList();
        return new ConcurrencyException(anyVersion.Count == 1 ? anyVersion[0] : Guid.Empty, streamExisted: false, retryable: anyVersion.Count > 0, e);
    }

    private static Guid AsGuid(object? id) => id switch
    {
        Guid guid => guid,
        string text when Guid.TryParse(text, out var parsed) => parsed,
        _ => Guid.Empty,
    };
}

/// <summary>One command's appends, staged in a session: what each stream will reach once saved.</summary>
public sealed class PendingAppend
{
    private readonly IReadOnlyList<(StreamAppend Append, StreamAction Action)> _actions;

    internal PendingAppend(IReadOnlyList<(StreamAppend Append, StreamAction Action)> actions) => _actions = actions;

    // An append at any version learns its versions only from the database; the record and the result leave them out.
    internal IReadOnlyList<StreamPosition> Planned() =>
        [.. _actions.Select(a => a.Append.ExpectedVersion >= 0
            ? new StreamPosition(a.Append.StreamId, a.Append.ExpectedVersion + 1, a.Append.ExpectedVersion + a.Append.Events.Count)
            : new StreamPosition(a.Append.StreamId, null, null))];

    internal IEnumerable<Guid> AnyVersionStreams =>
        _actions.Where(a => a.Append.ExpectedVersion == ExpectedVersion.Any && a.Append.RetryOnConflict).Select(a => a.Append.StreamId);

    internal IEnumerable<StreamAppend> Appends => _actions.Select(a => a.Append);

    internal bool RetriesOnConflict(Guid streamId) => _actions.Any(a => a.Append.StreamId == streamId && a.Append.RetryOnConflict);

    /// <summary>The versions written, after the session saved.</summary>
    public AppendResult Result() => new(Planned());
}
