using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.EventStore;

/// <summary>A stream's state folded from its events, and the version it was folded to.</summary>
public sealed record Aggregated<T>(T State, long Version);

public sealed partial class EventStore
{
    private const string Columns =
        "seq, event_id, stream_id, stream_version, event_type, data::text, metadata::text, county_code, recorded_at, prev_hash, hash";

    private const string LimitFilter =
        "($2::bigint IS NULL OR stream_version <= $2) AND ($3::bigint IS NULL OR seq <= $3) AND ($4::timestamptz IS NULL OR recorded_at <= $4)";

    /// <summary>A stream's events in version order, up to the limit.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(Guid streamId, ReadLimit? limit = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM events WHERE stream_id = $1 AND {LimitFilter} ORDER BY stream_version");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = streamId });
        AddLimit(command.Parameters, limit ?? ReadLimit.None);
        return await ReadEventsAsync(command, cancellationToken);
    }

    /// <summary>
    /// Every event from <paramref name="fromSeq"/> on, in seq order, optionally of some types only.
    /// Read in pages by seq, so memory stays constant however long the log is.
    /// </summary>
    public async IAsyncEnumerable<StoredEvent> ReadAllAsync(
        long fromSeq = 1,
        ReadLimit? limit = null,
        IReadOnlyCollection<string>? eventTypes = null,
        int pageSize = 1000,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var next = Math.Max(fromSeq, 1);
        limit ??= ReadLimit.None;
        if (limit.AsOf is { } asOf)
        {
            // recorded_at never decreases along seq, so an instant is a seq bound: found once by index, it
            // stops the paging where the instant ends instead of filtering every later row of every page.
            await using var bound = _dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM events WHERE recorded_at <= $1");
            bound.Parameters.Add(new NpgsqlParameter { Value = asOf.ToDateTimeUtc(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            var upTo = (long)(await bound.ExecuteScalarAsync(cancellationToken))!;
            limit = new ReadLimit(limit.UpToVersion, limit.UpToSeq is { } seq ? Math.Min(seq, upTo) : upTo);
        }
        var typeFilter = eventTypes is null ? "" : " AND event_type = ANY($6)";
        while (true)
        {
            await using var command = _dataSource.CreateCommand(
                $"SELECT {Columns} FROM events WHERE seq >= $1 AND {LimitFilter}{typeFilter} ORDER BY seq LIMIT $5");
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = next });
            AddLimit(command.Parameters, limit);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize });
            if (eventTypes is not null)
            {
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = eventTypes.ToArray() });
            }
            var page = await ReadEventsAsync(command, cancellationToken);
            foreach (var e in page)
            {
                yield return e;
            }
            if (page.Count < pageSize || (limit.UpToSeq is { } last && page[^1].Seq >= last))
            {
                yield break;
            }
            next = page[^1].Seq + 1;
        }
    }

    /// <summary>Folds a stream with a pure evolve function, as of the limit (a version, a seq or an instant).</summary>
    public async Task<Aggregated<T>> AggregateStreamAsync<T>(Guid streamId, T initial, Func<T, object, T> evolve, ReadLimit? limit = null, CancellationToken cancellationToken = default)
    {
        var state = initial;
        var version = 0L;
        foreach (var e in await ReadStreamAsync(streamId, limit, cancellationToken))
        {
            state = evolve(state, e.Data);
            version = e.StreamVersion;
        }
        return new Aggregated<T>(state, version);
    }

    /// <summary>The stream's current version, 0 when it does not exist.</summary>
    public async Task<long> StreamVersionAsync(Guid streamId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT version FROM streams WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = streamId });
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : 0;
    }

    /// <summary>The stream of <paramref name="streamType"/> that holds <paramref name="naturalKey"/>, if any.</summary>
    public async Task<Guid?> FindStreamAsync(string streamType, string naturalKey, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT id FROM streams WHERE type = $1 AND natural_key = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = naturalKey });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }

    private static void AddLimit(NpgsqlParameterCollection parameters, ReadLimit limit)
    {
        parameters.Add(new NpgsqlParameter { Value = (object?)limit.UpToVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter { Value = (object?)limit.UpToSeq ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter { Value = limit.AsOf is { } at ? at.ToDateTimeUtc() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    private async Task<List<StoredEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var type = reader.GetString(4);
            events.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetGuid(2),
                reader.GetInt64(3),
                type,
                Deserialize(type, reader.GetString(5)),
                DeserializeMetadata(reader.GetString(6)),
                reader.GetString(7),
                ToInstant(reader.GetDateTime(8)),
                reader.GetFieldValue<byte[]>(9),
                reader.GetFieldValue<byte[]>(10)));
        }
        return events;
    }
}
