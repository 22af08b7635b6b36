using Marten;
using Marten.Events;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.EventStore;

/// <summary>One event a bulk append wrote, for the caller's read rows.</summary>
public sealed record BulkAppended(Guid Id, string TypeName, object Data);

public sealed partial class EventStore
{
    // Marten's tenant id for a store without tenancy, as its append function writes it.
    private const string DefaultTenant = "*DEFAULT*";

    private const string BulkEventColumns =
        "seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived, causation_id, correlation_id, headers, user_name";

    /// <summary>
    /// Appends a batched import's commit inside the caller's <paramref name="transaction"/>, set-based: the rows
    /// Marten's <c>mt_quick_append_events</c> would write, column for column, with one binary COPY into
    /// <c>mt_events</c> and one statement each for new and existing streams, instead of one function call per stream
    /// and one INSERT per event. Marten's own bulk insert commits in a transaction of its own, so a commit's read rows
    /// could not go with its events. Triggers fire as for any insert: the chain links the events at commit.
    /// Versions are checked as Marten checks them: a new stream that exists, or an existing one that moved, is a
    /// <see cref="ConcurrencyException"/> and nothing of the commit is written. Appends at any version and
    /// idempotency keys are refused (an import has neither).
    /// </summary>
    public async Task<IReadOnlyList<BulkAppended>> AppendInBulkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CommandAppend command,
        CancellationToken cancellationToken = default)
    {
        var metadata = command.Metadata;
        if (metadata.IdempotencyKey is not null)
        {
            throw new ArgumentException("a bulk append takes no idempotency key", nameof(command));
        }
        if (command.Streams.FirstOrDefault(s => s.ExpectedVersion < 0) is { } any)
        {
            throw new ArgumentException($"a bulk append needs an expected version for every stream ({any.StreamId} has none)", nameof(command));
        }
        if (command.Streams.GroupBy(s => s.StreamId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"stream {twice.Key} appears twice in one bulk append", nameof(command));
        }
        var count = command.Streams.Sum(s => s.Events.Count);
        try
        {
            return await WriteInBulkAsync(connection, transaction, command, count, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            // A command appended to one of the streams meanwhile: its event took a version this append wanted, or the
            // two waited on each other. Either way the import decided on a stale stream.
            var stream = e.Detail is { } detail ? command.Streams.FirstOrDefault(s => detail.Contains(s.StreamId.ToString(), StringComparison.Ordinal)) : null;
            throw new ConcurrencyException(stream?.StreamId ?? Guid.Empty, streamExisted: false, retryable: false, e);
        }
    }

    private async Task<IReadOnlyList<BulkAppended>> WriteInBulkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CommandAppend command, int count,
        CancellationToken cancellationToken)
    {
        var metadata = command.Metadata;
        var (now, sequence) = await ReserveAsync(connection, transaction, count, cancellationToken);
        // New streams first (their events' foreign key), existing ones after their events, in the order Marten's append
        // function takes: a command appending to the same stream meets this append on the event's (stream, version) key.
        await CreateStreamsAsync(connection, transaction, command.Streams, now, cancellationToken);

        var options = (StoreOptions)Marten.Options;
        var events = (EventGraph)options.Events;
        var serializer = options.Serializer();
        var correlation = metadata.CorrelationId.ToString();
        var causation = metadata.CausationId?.ToString();
        var written = new List<BulkAppended>(count);
        var next = 0;
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY public.mt_events ({BulkEventColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var stream in command.Streams)
            {
                var headers = serializer.ToJson(Headers(metadata, stream));
                var version = stream.ExpectedVersion;
                foreach (var data in stream.Events)
                {
                    var mapping = events.EventMappingFor(data.GetType());
                    var id = Guid.CreateVersion7();
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(sequence[next++], NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(stream.StreamId, NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(++version, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(serializer.ToJson(data), NpgsqlDbType.Jsonb, cancellationToken);
                    await writer.WriteAsync(mapping.EventTypeName, NpgsqlDbType.Varchar, cancellationToken);
                    await writer.WriteAsync(DefaultTenant, NpgsqlDbType.Varchar, cancellationToken);
                    await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                    await writer.WriteAsync(mapping.DotNetTypeName, NpgsqlDbType.Varchar, cancellationToken);
                    await writer.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                    await WriteNullableAsync(writer, causation, cancellationToken);
                    await writer.WriteAsync(correlation, NpgsqlDbType.Varchar, cancellationToken);
                    await writer.WriteAsync(headers, NpgsqlDbType.Jsonb, cancellationToken);
                    await writer.WriteAsync(metadata.Actor, NpgsqlDbType.Varchar, cancellationToken);
                    written.Add(new BulkAppended(id, mapping.EventTypeName, data));
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }
        await MoveStreamsAsync(connection, transaction, command.Streams, now, cancellationToken);
        return written;
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await writer.WriteAsync(value, NpgsqlDbType.Varchar, cancellationToken);
        }
    }

    /// <summary>The transaction's <c>now()</c> (what Marten's append function stamps) and <paramref name="count"/> sequence numbers, in order.</summary>
    private static async Task<(DateTime Now, long[] Sequence)> ReserveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int count,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT now(), ARRAY(SELECT nextval('public.mt_events_sequence') FROM generate_series(1, $1) ORDER BY 1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetFieldValue<DateTime>(0), reader.GetFieldValue<long[]>(1));
    }

    /// <summary>Creates the new streams at their final versions, as Marten's append function does; one that exists already is a conflict.</summary>
    private static async Task CreateStreamsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StreamAppend> streams, DateTime now,
        CancellationToken cancellationToken)
    {
        var created = streams.Where(s => s.ExpectedVersion == ExpectedVersion.NoStream).ToList();
        if (created.Count > 0)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO public.mt_streams (id, type, version, timestamp, tenant_id) " +
                "SELECT id, NULL, version, $3, $4 FROM unnest($1::uuid[], $2::bigint[]) AS s(id, version) ON CONFLICT (id) DO NOTHING RETURNING id",
                connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. created.Select(s => s.StreamId)] });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. created.Select(s => (long)s.Events.Count)] });
            insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DefaultTenant });
            var inserted = await IdsAsync(insert, cancellationToken);
            if (created.FirstOrDefault(s => !inserted.Contains(s.StreamId)) is { } existing)
            {
                throw new ConcurrencyException(existing.StreamId, streamExisted: true);
            }
        }
    }

    /// <summary>Moves the existing streams from the version the import read to the one it reaches; one that moved meanwhile or was archived is a conflict.</summary>
    private static async Task MoveStreamsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StreamAppend> streams, DateTime now,
        CancellationToken cancellationToken)
    {
        var moved = streams.Where(s => s.ExpectedVersion > 0).ToList();
        if (moved.Count > 0)
        {
            await using var update = new NpgsqlCommand(
                "UPDATE public.mt_streams t SET version = s.to_version, timestamp = $4 " +
                "FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS s(id, from_version, to_version) " +
                "WHERE t.id = s.id AND t.version = s.from_version AND t.is_archived IS NOT TRUE RETURNING t.id",
                connection, transaction);
            update.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. moved.Select(s => s.StreamId)] });
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. moved.Select(s => s.ExpectedVersion)] });
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. moved.Select(s => s.ExpectedVersion + s.Events.Count)] });
            update.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
            var updated = await IdsAsync(update, cancellationToken);
            if (moved.FirstOrDefault(s => !updated.Contains(s.StreamId)) is { } stale)
            {
                throw new ConcurrencyException(stale.StreamId, streamExisted: false);
            }
        }
    }

    private static async Task<HashSet<Guid>> IdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }
}
