using System.Runtime.CompilerServices;
using System.Text.Json;
using JasperFx.Events;
using Ledger.EventStore.Serialization;
using Marten;
using NodaTime;
using Npgsql;

namespace Ledger.EventStore;

/// <summary>A stream folded up to some point: the state and the version it reached.</summary>
public sealed record Aggregated<T>(T State, long Version);

public sealed partial class EventStore
{
    private const string SelectStored =
        "SELECT c.position, e.seq_id, e.id, e.stream_id, e.version, e.type, e.data::text, e.headers::text, e.user_name, " +
        "e.correlation_id, e.causation_id, e.timestamp, c.chained_at, c.hash FROM mt_events e JOIN event_chain c ON c.seq_id = e.seq_id ";

    /// <summary>
    /// Folds a stream with a pure evolve function up to <paramref name="limit"/>: a version, a seq, a chain position or an
    /// instant (the last two go through the chain's commit order). Without a limit the fold starts from this process's
    /// cached fold of the stream, if any, and reads only the events after it (see <see cref="FoldCacheCapacity"/>).
    /// </summary>
    /// <remarks>
    /// <paramref name="initial"/> must depend on the stream alone and <typeparamref name="T"/> must be immutable: a cached
    /// fold is handed to every caller, keyed by stream, state type and evolve function.
    /// </remarks>
    public async Task<Aggregated<T>> AggregateStreamAsync<T>(Guid streamId, T initial, Func<T, object, T> evolve, ReadLimit? limit = null, CancellationToken cancellationToken = default)
    {
        if (limit is null || limit == ReadLimit.None)
        {
            var fold = new StreamFold<T>(streamId, initial, evolve);
            await AggregateStreamsAsync([fold], cancellationToken);
            return fold.Result;
        }
        var version = await VersionAtAsync(streamId, limit, cancellationToken);
        if (version == 0)
        {
            return new Aggregated<T>(initial, 0);
        }
        await using var session = Marten.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId, version ?? 0, token: cancellationToken);
        var state = initial;
        foreach (var e in events)
        {
            state = evolve(state, e.Data);
        }
        return new Aggregated<T>(state, events.Count == 0 ? 0 : events[^1].Version);
    }

    /// <summary>
    /// The current folds of several streams in one round trip (a command reads its award's designation, policy, budget
    /// line and payee at once), each from its cached fold, if any, and the events after it: see
    /// <see cref="AggregateStreamAsync{T}"/>. Afterwards each fold's <see cref="StreamFold{T}.Result"/> holds its state.
    /// </summary>
    public async Task AggregateStreamsAsync(IReadOnlyList<StreamFold> folds, CancellationToken cancellationToken = default)
    {
        var after = new long[folds.Count];
        for (var i = 0; i < folds.Count; i++)
        {
            after[i] = folds[i].Start(_folds);
        }
        // One row per fold and event after its start, in fold and version order; a stream folded twice (two state types)
        // is read twice. The function keeps one generic plan per session (migrations/0010_stream_fold_read.sql).
        await using var command = DataSource.CreateCommand(
            "SELECT fold, version, type, data FROM stream_events_after($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = folds.Select(f => f.StreamId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, folds.Count).ToArray() });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var fold = folds[reader.GetInt32(0)];
                var version = reader.GetInt64(1);
                fold.Apply(version, JsonSerializer.Deserialize(reader.GetString(3), Types.TypeOf(reader.GetString(2)), LedgerJson.Options)
                    ?? throw new InvalidOperationException($"event {version} of stream {fold.StreamId} holds null"));
            }
        }
        foreach (var fold in folds)
        {
            fold.Finish(_folds);
        }
    }

    /// <summary>
    /// This process's cached fold of the stream, if any, without asking the database: it may be behind the stream, so it
    /// serves only what the stream never changes once written (an award's designation and enterprise).
    /// </summary>
    public Aggregated<T>? CachedFold<T>(StreamFold<T> fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        return fold.Cached(_folds);
    }

    /// <summary>How many folded streams a store keeps per process (the least recently used go first).</summary>
    public const int FoldCacheCapacity = 20_000;

    /// <summary>
    /// The current folds, by stream, state type and evolve function. Correct with writers in other processes because the
    /// database is always asked for what is newer (versions of a stream only grow, and an event at or below a version
    /// already read can never be committed later); the cache never answers for a conflict, which the expected version of
    /// an append still settles.
    /// </summary>
    private readonly BoundedCache<(Guid Stream, Type State, System.Reflection.MethodInfo Evolve), object> _folds = new(FoldCacheCapacity);

    /// <summary>
    /// The events of many streams at once, each stream's in version order (streams that do not exist are absent): how an
    /// import loads everything it will decide on in a few round trips instead of one per stream.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, List<object>>> ReadStreamsAsync(IReadOnlyCollection<Guid> streamIds, CancellationToken cancellationToken = default)
    {
        var streams = new Dictionary<Guid, List<object>>();
        foreach (var chunk in streamIds.Distinct().Chunk(20_000))
        {
            await using var command = DataSource.CreateCommand("SELECT stream_id, type, data::text FROM mt_events WHERE stream_id = ANY($1) ORDER BY stream_id, version");
            command.Parameters.Add(new NpgsqlParameter { Value = chunk });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                if (!streams.TryGetValue(id, out var events))
                {
                    streams[id] = events = [];
                }
                events.Add(JsonSerializer.Deserialize(reader.GetString(2), Types.TypeOf(reader.GetString(1)), LedgerJson.Options)
                    ?? throw new InvalidOperationException($"an event of stream {id} holds null"));
            }
        }
        return streams;
    }

    /// <summary>The stream's current version; 0 when it does not exist.</summary>
    public async Task<long> StreamVersionAsync(Guid streamId, CancellationToken cancellationToken = default)
    {
        await using var session = Marten.QuerySession();
        return (await session.Events.FetchStreamStateAsync(streamId, cancellationToken))?.Version ?? 0;
    }

    /// <summary>A stream's events with their chain links, in version order, up to <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(Guid streamId, ReadLimit? limit = null, CancellationToken cancellationToken = default)
    {
        var bound = await PositionBoundAsync(limit ?? ReadLimit.None, cancellationToken);
        await using var command = DataSource.CreateCommand(SelectStored +
            "WHERE e.stream_id = $1 AND e.version <= $2 AND e.seq_id <= $3 AND c.position <= $4 ORDER BY e.version");
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit?.UpToVersion ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = limit?.UpToSeq ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = bound });
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }
        return events;
    }

    /// <summary>
    /// The whole log in chain order (commit order), from <paramref name="fromPosition"/>, in pages of
    /// <paramref name="pageSize"/> (constant memory), optionally only some event types, up to <paramref name="limit"/>.
    /// </summary>
    public async IAsyncEnumerable<StoredEvent> ReadAllAsync(
        long fromPosition = 1, ReadLimit? limit = null, IReadOnlyCollection<string>? eventTypes = null, int pageSize = 500,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bound = await PositionBoundAsync(limit ?? ReadLimit.None, cancellationToken);
        var next = fromPosition;
        while (true)
        {
            await using var command = DataSource.CreateCommand(SelectStored +
                "WHERE c.position >= $1 AND c.position <= $2 AND e.seq_id <= $3 AND ($4::text[] IS NULL OR e.type = ANY($4)) ORDER BY c.position LIMIT $5");
            command.Parameters.Add(new NpgsqlParameter { Value = next });
            command.Parameters.Add(new NpgsqlParameter { Value = bound });
            command.Parameters.Add(new NpgsqlParameter { Value = limit?.UpToSeq ?? long.MaxValue });
            command.Parameters.Add(new NpgsqlParameter { Value = eventTypes is null ? DBNull.Value : eventTypes.ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = pageSize });
            var page = new List<StoredEvent>(pageSize);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(Read(reader));
                }
            }
            foreach (var e in page)
            {
                yield return e;
            }
            if (page.Count < pageSize)
            {
                yield break;
            }
            next = page[^1].Position + 1;
        }
    }

    /// <summary>
    /// The chain position an instant ends at. The chain's lock is taken in shared mode first, so a transaction
    /// chained at or before the instant but still committing is waited for: the answer never changes afterwards.
    /// An instant in the future is read as now.
    /// </summary>
    public async Task<long> PositionAtAsync(Instant instant, CancellationToken cancellationToken = default)
    {
        // One round trip: the two statements of a batch run in one implicit transaction, the second (with its own
        // snapshot) only once the first holds the lock, which the transaction keeps until it ends.
        await using var batch = DataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock_shared(hashtext('public.event_chain'))"));
        // The bound is a sub-select so that it is computed once and the (chained_at, position) index can seek to it
        // (clock_timestamp() is volatile: compared row by row it forces a scan of every earlier link).
        var position = new NpgsqlBatchCommand(
            "SELECT coalesce((SELECT position FROM event_chain WHERE chained_at <= (SELECT least($1, clock_timestamp())) " +
            "ORDER BY chained_at DESC, position DESC LIMIT 1), 0)");
        position.Parameters.Add(new NpgsqlParameter { Value = instant.ToDateTimeUtc() });
        batch.BatchCommands.Add(position);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0);
    }

    private async Task<long> PositionBoundAsync(ReadLimit limit, CancellationToken cancellationToken)
    {
        var bound = limit.UpToPosition ?? long.MaxValue;
        return limit.AsOf is { } instant ? Math.Min(bound, await PositionAtAsync(instant, cancellationToken)) : bound;
    }

    /// <summary>The stream's version at the limit; null for "no limit" (the current version).</summary>
    private async Task<long?> VersionAtAsync(Guid streamId, ReadLimit limit, CancellationToken cancellationToken)
    {
        if (limit.UpToSeq is null && limit.UpToPosition is null && limit.AsOf is null)
        {
            return limit.UpToVersion;
        }
        var bound = await PositionBoundAsync(limit, cancellationToken);
        await using var command = DataSource.CreateCommand(
            "SELECT coalesce(max(e.version), 0) FROM mt_events e JOIN event_chain c ON c.seq_id = e.seq_id " +
            "WHERE e.stream_id = $1 AND e.version <= $2 AND e.seq_id <= $3 AND c.position <= $4");
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit.UpToVersion ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = limit.UpToSeq ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = bound });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private StoredEvent Read(NpgsqlDataReader reader)
    {
        var type = reader.GetString(5);
        var headers = reader.IsDBNull(7) ? [] : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(reader.GetString(7), LedgerJson.Options) ?? [];
        string Header(string key) => headers.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        string? Optional(string key) => Header(key) is { Length: > 0 } text ? text : null;
        var metadata = new EventMetadata(
            reader.IsDBNull(8) ? "" : reader.GetString(8),
            Header(LedgerHeaders.Role),
            reader.IsDBNull(9) || !Guid.TryParse(reader.GetString(9), out var correlation) ? Guid.Empty : correlation,
            reader.IsDBNull(10) || !Guid.TryParse(reader.GetString(10), out var causation) ? null : causation,
            Optional(LedgerHeaders.IdempotencyKey),
            Optional(LedgerHeaders.Reason),
            Optional(LedgerHeaders.OsUser));
        return new StoredEvent(
            reader.GetInt64(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetGuid(3), reader.GetInt64(4), type,
            JsonSerializer.Deserialize(reader.GetString(6), Types.TypeOf(type), LedgerJson.Options) ?? throw new InvalidOperationException($"event {reader.GetInt64(1)} holds null"),
            metadata, Header(LedgerHeaders.County),
            Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(11)), Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(12)),
            reader.GetFieldValue<byte[]>(13));
    }
}
