using System.Text.Json;
using Ledger.EventStore.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.EventStore;

public sealed partial class EventStore
{
    private const string AppendSql =
        "SELECT replayed, result::text FROM append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

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
    /// Appends many commands in one transaction and one round trip (imports, bursts): all or none.
    /// Results come back in the order of <paramref name="commands"/>.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<CommandAppend> commands, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(commands.Count);
        var prepared = commands.Select(Prepare).ToArray();
        var projected = _projections.Count > 0 && prepared.Any(p => p.EventTypes.Any(t => _projections.Any(pr => pr.Handles(t))));

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // A single command without projections is one statement: its own transaction, one round trip.
        await using var transaction = commands.Count > 1 || projected ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var results = new List<AppendResult>(commands.Count);
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                foreach (var command in prepared)
                {
                    batch.BatchCommands.Add(command.ToBatchCommand());
                }
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
                do
                {
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        throw new InvalidOperationException("append_events returned no row");
                    }
                    results.Add(ParseResult(reader.GetString(1), reader.GetBoolean(0)));
                }
                while (await reader.NextResultAsync(cancellationToken));
            }
            if (projected)
            {
                for (var i = 0; i < prepared.Length; i++)
                {
                    if (!results[i].Replayed)
                    {
                        await ProjectAsync(connection, commands[i], prepared[i], results[i], cancellationToken);
                    }
                }
            }
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return results;
        }
        catch (PostgresException e) when (Translate(e, prepared) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The first result of a command already appended under <paramref name="idempotencyKey"/>, or null.
    /// Handlers ask before deciding, so a retry is answered even when deciding again would now fail
    /// (an enterprise cannot be registered twice); <c>append_events</c> checks again under its lock.
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
        return reader.GetString(0) == fingerprint
            ? ParseResult(reader.GetString(1), replayed: true)
            : throw new IdempotencyConflictException(idempotencyKey);
    }

    private PreparedAppend Prepare(CommandAppend command)
    {
        if (command.Streams.Count == 0 || command.Streams.Any(s => s.Events.Count == 0))
        {
            throw new ArgumentException("an append needs at least one stream, each with at least one event");
        }
        if (command.Metadata.IdempotencyKey is not null && string.IsNullOrEmpty(command.Fingerprint))
        {
            throw new ArgumentException("a command with an idempotency key needs a fingerprint of its content");
        }
        var metadataJson = JsonSerializer.Serialize(command.Metadata, LedgerJson.Options);
        var eventCount = command.Streams.Sum(s => s.Events.Count);
        var eventStream = new int[eventCount];
        var eventIds = new Guid[eventCount];
        var eventTypes = new string[eventCount];
        var eventData = new string[eventCount];
        var eventMetadata = new string[eventCount];
        var n = 0;
        for (var s = 0; s < command.Streams.Count; s++)
        {
            foreach (var @event in command.Streams[s].Events)
            {
                var type = @event.GetType();
                eventStream[n] = s + 1;
                eventIds[n] = Guid.CreateVersion7();
                eventTypes[n] = Types.NameOf(type);
                eventData[n] = JsonSerializer.Serialize(@event, type, LedgerJson.Options);
                eventMetadata[n] = metadataJson;
                n++;
            }
        }
        return new PreparedAppend(command, eventStream, eventIds, eventTypes, eventData, eventMetadata);
    }

    private async Task ProjectAsync(NpgsqlConnection connection, CommandAppend command, PreparedAppend prepared, AppendResult result, CancellationToken cancellationToken)
    {
        // Hashes are computed inside append_events; projections have no use for them, so they are left empty here.
        var stored = new List<StoredEvent>(prepared.EventIds.Length);
        var n = 0;
        for (var s = 0; s < command.Streams.Count; s++)
        {
            var append = command.Streams[s];
            var version = result.Streams[s].FromVersion;
            foreach (var @event in append.Events)
            {
                stored.Add(new StoredEvent(
                    result.FirstSeq + n, prepared.EventIds[n], append.StreamId, version++, prepared.EventTypes[n], @event,
                    command.Metadata, append.CountyCode, result.RecordedAt, [], []));
                n++;
            }
        }
        // The seq order is the order events were listed in, which is the order above.
        foreach (var projection in _projections)
        {
            var mine = stored.Where(e => projection.Handles(e.EventType)).ToList();
            if (mine.Count > 0)
            {
                await projection.ApplyAsync(connection, mine, cancellationToken);
            }
        }
    }

    private static AppendResult ParseResult(string json, bool replayed)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var streams = root.GetProperty("streams").EnumerateArray()
            .Select(s => new StreamPosition(s.GetProperty("streamId").GetGuid(), s.GetProperty("fromVersion").GetInt64(), s.GetProperty("toVersion").GetInt64()))
            .ToArray();
        return new AppendResult(
            root.GetProperty("firstSeq").GetInt64(),
            root.GetProperty("lastSeq").GetInt64(),
            FromMicros(root.GetProperty("recordedAtMicros").GetInt64()),
            streams,
            replayed);
    }

    /// <summary>Maps the function's own SQLSTATEs (and unique violations) to typed exceptions; never by message text.</summary>
    private static Exception? Translate(PostgresException e, PreparedAppend[] prepared)
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
            case PostgresErrorCodes.UniqueViolation when e.TableName == "events" || e.TableName == "streams":
                {
                    // Only reachable if something appends around append_events; still a conflict, not a crash.
                    var stream = prepared[0].Command.Streams[0];
                    return new ConcurrencyException(stream.StreamId, stream.ExpectedVersion, -1);
                }
            default:
                return null;
        }
    }

    private sealed record PreparedAppend(
        CommandAppend Command, int[] EventStream, Guid[] EventIds, string[] EventTypes, string[] EventData, string[] EventMetadata)
    {
        public NpgsqlBatchCommand ToBatchCommand()
        {
            var streams = Command.Streams;
            var command = new NpgsqlBatchCommand(AppendSql);
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = streams.Select(s => s.StreamId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams.Select(s => s.StreamType).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = streams.Select(s => s.NaturalKey).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = streams.Select(s => s.ExpectedVersion).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams.Select(s => s.CountyCode).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = EventStream });
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = EventIds });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = EventTypes });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = EventData, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = EventMetadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = Command.Metadata.IdempotencyKey, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = Command.Fingerprint, NpgsqlDbType = NpgsqlDbType.Text });
            return command;
        }
    }
}
