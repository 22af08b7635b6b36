using System.Text.Json;
using Ledger.EventStore.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.EventStore;

public sealed partial class EventStore
{
    private const string AppendOneSql =
        "SELECT replayed, from_version, to_version, first_seq, last_seq, recorded_at " +
        "FROM append_command($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

    private const string AppendSql =
        "SELECT cmd, replayed, stream_id, from_version, to_version, first_seq, last_seq, recorded_at " +
        "FROM append_commands($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

    /// <summary>Appends one stream's events as one command.</summary>
    public Task<AppendResult> AppendAsync(StreamAppend append, EventMetadata metadata, string? fingerprint = null, CancellationToken cancellationToken = default) =>
        AppendAsync([append], metadata, fingerprint, cancellationToken);

    /// <summary>
    /// Appends one command's events, possibly to several streams, atomically. With an idempotency key in
    /// <paramref name="metadata"/>, a repeat with the same <paramref name="fingerprint"/> returns the first
    /// result (<see cref="AppendResult.Replayed"/>) and appends nothing; a different fingerprint throws
    /// <see cref="IdempotencyConflictException"/>. A stale expected version throws <see cref="ConcurrencyException"/>.
    /// </summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<StreamAppend> streams, EventMetadata metadata, string? fingerprint = null, CancellationToken cancellationToken = default)
    {
        var results = await AppendBatchAsync([new CommandAppend(streams, metadata, fingerprint)], cancellationToken);
        return results[0];
    }

    /// <summary>
    /// Appends many commands in one transaction, one statement and one round trip (imports, bursts):
    /// all or none. A stream may appear in only one command of a batch. Results come back in the order
    /// of <paramref name="commands"/>.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<CommandAppend> commands, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(commands.Count);
        var batch = PreparedBatch.Create(commands, this);
        var projected = _projections.Count > 0 && batch.EventTypes.Any(t => _projections.Any(p => p.Handles(t)));

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Without projections the call is one statement: its own transaction, one round trip.
        await using var transaction = projected ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            IReadOnlyList<AppendResult> results;
            await using (var command = batch.ToCommand(connection, transaction))
            {
                results = batch.IsSingleStream
                    ? [await ReadResultAsync(command, commands[0].Streams[0].StreamId, cancellationToken)]
                    : await ReadResultsAsync(command, commands.Count, cancellationToken);
            }
            if (projected)
            {
                await ProjectAsync(connection, commands, batch, results, cancellationToken);
                await transaction!.CommitAsync(cancellationToken);
            }
            return results;
        }
        catch (PostgresException e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The first result of a command already appended under <paramref name="idempotencyKey"/>, or null.
    /// Handlers ask before deciding, so a retry is answered even when deciding again would now fail
    /// (an enterprise cannot be registered twice); the append function checks again under its lock.
    /// </summary>
    public async Task<AppendResult?> IdempotentResultAsync(string idempotencyKey, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT fingerprint, result::text FROM idempotency_keys WHERE key = $1");
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
        using var document = JsonDocument.Parse(reader.GetString(1));
        var root = document.RootElement;
        return new AppendResult(
            root.GetProperty("firstSeq").GetInt64(),
            root.GetProperty("lastSeq").GetInt64(),
            FromMicros(root.GetProperty("recordedAtMicros").GetInt64()),
            [.. root.GetProperty("streams").EnumerateArray().Select(s =>
                new StreamPosition(s.GetProperty("streamId").GetGuid(), s.GetProperty("fromVersion").GetInt64(), s.GetProperty("toVersion").GetInt64()))],
            Replayed: true);
    }

    private static async Task<AppendResult> ReadResultAsync(NpgsqlCommand command, Guid streamId, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("append_command returned no row");
        }
        return new AppendResult(reader.GetInt64(3), reader.GetInt64(4), ToInstant(reader.GetDateTime(5)),
            [new StreamPosition(streamId, reader.GetInt64(1), reader.GetInt64(2))], reader.GetBoolean(0));
    }

    private static async Task<IReadOnlyList<AppendResult>> ReadResultsAsync(NpgsqlCommand command, int commandCount, CancellationToken cancellationToken)
    {
        var rows = new List<(int Cmd, bool Replayed, StreamPosition Position, long First, long Last, DateTime At)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt32(0), reader.GetBoolean(1),
                    new StreamPosition(reader.GetGuid(2), reader.GetInt64(3), reader.GetInt64(4)),
                    reader.GetInt64(5), reader.GetInt64(6), reader.GetDateTime(7)));
            }
        }
        var results = new AppendResult[commandCount];
        foreach (var group in rows.GroupBy(r => r.Cmd))
        {
            var first = group.First();
            results[group.Key - 1] = new AppendResult(first.First, first.Last, ToInstant(first.At), [.. group.Select(r => r.Position)], first.Replayed);
        }
        return results;
    }

    private async Task ProjectAsync(NpgsqlConnection connection, IReadOnlyList<CommandAppend> commands, PreparedBatch batch, IReadOnlyList<AppendResult> results, CancellationToken cancellationToken)
    {
        // Hashes are computed inside append_commands; projections have no use for them, so they are left empty here.
        var stored = new List<StoredEvent>();
        var n = 0;
        for (var c = 0; c < commands.Count; c++)
        {
            var command = commands[c];
            var result = results[c];
            var seq = result.FirstSeq;
            for (var s = 0; s < command.Streams.Count; s++)
            {
                var append = command.Streams[s];
                var version = result.Streams[s].FromVersion;
                foreach (var @event in append.Events)
                {
                    if (!result.Replayed)
                    {
                        stored.Add(new StoredEvent(seq++, batch.EventIds[n], append.StreamId, version++, batch.EventTypes[n], @event,
                            command.Metadata, append.CountyCode, result.RecordedAt, [], []));
                    }
                    n++;
                }
            }
        }
        // The seq order is the order the events were listed in, which is the order above.
        foreach (var projection in _projections)
        {
            var mine = stored.Where(e => projection.Handles(e.EventType)).ToList();
            if (mine.Count > 0)
            {
                await projection.ApplyAsync(connection, mine, cancellationToken);
            }
        }
    }

    /// <summary>Maps the function's own SQLSTATEs (and unique violations) to typed exceptions; never by message text.</summary>
    private static Exception? Translate(PostgresException e)
    {
        switch (e.SqlState)
        {
            case "LE001":
                {
                    using var detail = JsonDocument.Parse(e.Detail ?? "{}");
                    var root = detail.RootElement;
                    return new ConcurrencyException(root.GetProperty("streamId").GetGuid(), root.GetProperty("expected").GetInt64(), root.GetProperty("actual").GetInt64());
                }
            case "LE002":
                {
                    using var detail = JsonDocument.Parse(e.Detail ?? "{}");
                    return new IdempotencyConflictException(detail.RootElement.GetProperty("key").GetString()!);
                }
            case "LE003":
                {
                    using var detail = JsonDocument.Parse(e.Detail ?? "{}");
                    var root = detail.RootElement;
                    return new NaturalKeyTakenException(root.GetProperty("streamType").GetString()!, root.GetProperty("naturalKey").GetString()!, root.GetProperty("existingStreamId").GetGuid());
                }
            case "LE004":
                return new ArgumentException(e.MessageText, e);
            default:
                return null;
        }
    }

    /// <summary>A batch flattened into the parallel arrays <c>append_commands</c> takes.</summary>
    private sealed class PreparedBatch
    {
        private readonly List<string?> _keys = [];
        private readonly List<string?> _fingerprints = [];
        private readonly List<int> _streamCommand = [];
        private readonly List<Guid> _streamIds = [];
        private readonly List<string> _streamTypes = [];
        private readonly List<string?> _naturalKeys = [];
        private readonly List<long> _expected = [];
        private readonly List<string> _counties = [];
        private readonly List<int> _eventStream = [];
        private readonly List<Guid> _eventIds = [];
        private readonly List<string> _eventTypes = [];
        private readonly List<string> _data = [];
        private readonly List<string> _metadata = [];

        public IReadOnlyList<Guid> EventIds => _eventIds;

        public IReadOnlyList<string> EventTypes => _eventTypes;

        /// <summary>One command on one stream: the scalar <c>append_command</c> serves it.</summary>
        public bool IsSingleStream => _keys.Count == 1 && _streamIds.Count == 1;

        public static PreparedBatch Create(IReadOnlyList<CommandAppend> commands, EventStore store)
        {
            var batch = new PreparedBatch();
            foreach (var command in commands)
            {
                if (command.Streams.Count == 0 || command.Streams.Any(s => s.Events.Count == 0))
                {
                    throw new ArgumentException("an append needs at least one stream, each with at least one event");
                }
                if (command.Metadata.IdempotencyKey is not null && string.IsNullOrEmpty(command.Fingerprint))
                {
                    throw new ArgumentException("a command with an idempotency key needs a fingerprint of its content");
                }
                batch._keys.Add(command.Metadata.IdempotencyKey);
                batch._fingerprints.Add(command.Metadata.IdempotencyKey is null ? null : command.Fingerprint);
                var metadataJson = JsonSerializer.Serialize(command.Metadata, LedgerJson.Options);
                foreach (var stream in command.Streams)
                {
                    batch._streamCommand.Add(batch._keys.Count);
                    batch._streamIds.Add(stream.StreamId);
                    batch._streamTypes.Add(stream.StreamType);
                    batch._naturalKeys.Add(stream.NaturalKey);
                    batch._expected.Add(stream.ExpectedVersion);
                    batch._counties.Add(stream.CountyCode);
                    foreach (var @event in stream.Events)
                    {
                        var type = @event.GetType();
                        batch._eventStream.Add(batch._streamIds.Count);
                        batch._eventIds.Add(Guid.CreateVersion7());
                        batch._eventTypes.Add(store.Types.NameOf(type));
                        batch._data.Add(JsonSerializer.Serialize(@event, type, LedgerJson.Options));
                        batch._metadata.Add(metadataJson);
                    }
                }
            }
            return batch;
        }

        public NpgsqlCommand ToCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction)
        {
            if (IsSingleStream)
            {
                var one = new NpgsqlCommand(AppendOneSql, connection, transaction);
                var q = one.Parameters;
                q.Add(new NpgsqlParameter<string?> { TypedValue = _keys[0], NpgsqlDbType = NpgsqlDbType.Text });
                q.Add(new NpgsqlParameter<string?> { TypedValue = _fingerprints[0], NpgsqlDbType = NpgsqlDbType.Text });
                q.Add(new NpgsqlParameter<Guid> { TypedValue = _streamIds[0] });
                q.Add(new NpgsqlParameter<string> { TypedValue = _streamTypes[0] });
                q.Add(new NpgsqlParameter<string?> { TypedValue = _naturalKeys[0], NpgsqlDbType = NpgsqlDbType.Text });
                q.Add(new NpgsqlParameter<long> { TypedValue = _expected[0] });
                q.Add(new NpgsqlParameter<string> { TypedValue = _counties[0] });
                AddEvents(q);
                return one;
            }
            var command = new NpgsqlCommand(AppendSql, connection, transaction);
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. _keys], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. _fingerprints], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. _streamCommand] });
            p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. _streamIds] });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _streamTypes] });
            p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. _naturalKeys], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _expected] });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _counties] });
            p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. _eventStream] });
            AddEvents(p);
            return command;
        }

        private void AddEvents(NpgsqlParameterCollection p)
        {
            p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. _eventIds] });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _eventTypes] });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _data], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _metadata], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        }
    }
}
