using System.Text;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.EventStore;

/// <summary>Which events the audit listing shows, in chain order. Null fields do not filter.</summary>
/// <param name="FromPosition">The first chain position to list (1 or more).</param>
/// <param name="StreamId">Only this stream's events.</param>
/// <param name="EventTypes">Only events of these stable names.</param>
/// <param name="Since">Only events chained at or after this instant.</param>
/// <param name="Until">Only events chained at or before this instant (read like an as-of: stable once answered).</param>
/// <param name="Limit">At most this many events.</param>
/// <param name="Counties">Only events whose stream belongs to one of these divisions (the <c>county</c> header): a user's subtree.</param>
public sealed record EventListQuery(
    long FromPosition = 1,
    Guid? StreamId = null,
    IReadOnlyCollection<string>? EventTypes = null,
    Instant? Since = null,
    Instant? Until = null,
    int Limit = 1000,
    IReadOnlyCollection<string>? Counties = null);

/// <summary>
/// One event as an auditor reads it: the row as stored, its data as PostgreSQL prints the <c>jsonb</c> (the text the
/// chain's canonical form covers), not deserialized, so an event type this program does not know is listed too.
/// </summary>
/// <param name="Position">Its chain position.</param>
/// <param name="Seq">Marten's <c>seq_id</c>.</param>
/// <param name="ChainedAt">When it was linked.</param>
/// <param name="StreamId">Its stream.</param>
/// <param name="StreamVersion">Its version within the stream.</param>
/// <param name="EventType">Its stable name.</param>
/// <param name="Actor">Marten's <c>user_name</c>: who issued the command.</param>
/// <param name="Role">The <c>role</c> header.</param>
/// <param name="IdempotencyKey">The <c>idempotency-key</c> header.</param>
/// <param name="DataJson">The event's data, <c>data::text</c>.</param>
/// <param name="HashHex">Its chain hash, lower-case hex.</param>
public sealed record LoggedEvent(
    long Position,
    long Seq,
    Instant ChainedAt,
    Guid? StreamId,
    long StreamVersion,
    string EventType,
    string? Actor,
    string? Role,
    string? IdempotencyKey,
    string DataJson,
    string HashHex);

/// <summary>The events a query found, and where the listing goes on when the limit cut it.</summary>
/// <param name="Events">At most the query's limit of events, in chain order.</param>
/// <param name="Next">The position of the next matching event when the limit cut the listing; null when nothing more matched.</param>
public sealed record EventListing(IReadOnlyList<LoggedEvent> Events, long? Next);

public sealed partial class EventStore
{
    /// <summary>
    /// The audit listing: events in chain order with their links, filtered, in one statement (one snapshot). An
    /// upper instant is turned into a chain position the way as-of reads are, so the answer does not change later.
    /// </summary>
    public async Task<EventListing> ListEventsAsync(EventListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.FromPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var bound = query.Until is { } until ? await PositionAtAsync(until, cancellationToken) : long.MaxValue;
        var sql = new StringBuilder(
            "SELECT c.position, c.seq_id, c.chained_at, e.stream_id, e.version, e.type, e.user_name, e.headers ->> $1, e.headers ->> $2, " +
            "e.data::text, c.hash FROM event_chain c JOIN mt_events e ON e.seq_id = c.seq_id WHERE c.position >= $3 AND c.position <= $4");
        await using var command = DataSource.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerHeaders.Role });
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerHeaders.IdempotencyKey });
        command.Parameters.Add(new NpgsqlParameter { Value = query.FromPosition });
        command.Parameters.Add(new NpgsqlParameter { Value = bound });
        string Next(object value, NpgsqlDbType? type = null)
        {
            var parameter = new NpgsqlParameter { Value = value };
            if (type is { } t)
            {
                parameter.NpgsqlDbType = t;
            }
            command.Parameters.Add(parameter);
            return "$" + command.Parameters.Count;
        }
        if (query.StreamId is { } stream)
        {
            sql.Append(" AND e.stream_id = ").Append(Next(stream));
        }
        if (query.EventTypes is { Count: > 0 } types)
        {
            sql.Append(" AND e.type = ANY(").Append(Next(types.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)).Append(')');
        }
        if (query.Counties is { } counties)
        {
            sql.Append(" AND e.headers ->> 'county' = ANY(").Append(Next(counties.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)).Append(')');
        }
        if (query.Since is { } since)
        {
            // PostgreSQL keeps microseconds: round a finer instant up, so that "at or after" stays exact.
            var ticks = since.ToUnixTimeTicks();
            var floor = Instant.FromUnixTimeTicks(ticks - (((ticks % 10) + 10) % 10));
            var ceiling = floor < since ? floor + Duration.FromTicks(10) : floor;
            sql.Append(" AND c.chained_at >= ").Append(Next(ceiling.ToDateTimeUtc()));
        }
        // One more than the limit tells whether the listing goes on, and where.
        sql.Append(" ORDER BY c.position LIMIT ").Append(Next((long)query.Limit + 1));
        command.CommandText = sql.ToString();
        var events = new List<LoggedEvent>();
        long? next = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (events.Count == query.Limit)
            {
                next = reader.GetInt64(0);
                break;
            }
            events.Add(new LoggedEvent(
                reader.GetInt64(0), reader.GetInt64(1), Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(2)),
                reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetInt64(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetString(9), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(10))));
        }
        return new EventListing(events, next);
    }
}
