using System.Diagnostics;
using System.Text.Json;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using Npgsql;

namespace Ledger.ReadModels;

/// <summary>How far a rebuild is: its phase and the events or rows done of the total.</summary>
public sealed record RebuildProgress(string Phase, long Done, long Total);

/// <summary>One table after a rebuild: its rows, and the rows only the previous table had (missing) or only the rebuilt one has (extra).</summary>
public sealed record TableComparison(string Table, long Rows, long Missing, long Extra)
{
    public bool Identical => Missing == 0 && Extra == 0;
}

/// <summary>What a rebuild did: events replayed, events caught up under the lock, the comparison, and the time it took.</summary>
public sealed record RebuildResult(long Events, long CaughtUp, long Position, TimeSpan Elapsed, IReadOnlyList<TableComparison> Tables)
{
    public bool Identical => Tables.All(t => t.Identical);

    public double EventsPerSecond => Events / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Replays every event into fresh read tables and swaps them in (blue/green), with the owner connection:
/// <list type="number">
/// <item>fresh tables in schema <c>ledger_rebuild</c>, shaped like the live ones;</item>
/// <item>every event up to the chain's head, in chain order, streamed through the projections into memory
/// (<see cref="MemoryReadModel"/>) and written with one binary COPY per table, then the live tables' indexes and
/// constraints added under their own names — all while reads and writes carry on against the live tables;</item>
/// <item>in one transaction: the live tables locked against writers (SHARE; readers carry on), the chain's lock taken
/// (nothing commits meanwhile), the events committed since the head caught up through the same projections as SQL,
/// the tables compared row for row, then the live tables moved aside and the rebuilt ones moved in.</item>
/// </list>
/// Writers are never made to wait on a half-taken set of locks: the locks are tried with a short timeout and the attempt
/// repeated, so the rebuild yields to commands rather than deadlocking with one.
/// </summary>
public sealed class ReadModelRebuild(NpgsqlDataSource owner, EventTypeRegistry types, IReadOnlyList<IReadProjection> projections)
{
    public const string Schema = "ledger_rebuild";
    private const string Previous = "ledger_previous";
    private const string ChainLock = "SELECT pg_advisory_xact_lock(hashtext('public.event_chain'))";

    private IReadOnlyList<ReadTable> Tables { get; } = [.. projections.SelectMany(p => p.Tables).Distinct()];

    public async Task<RebuildResult> RunAsync(IProgress<RebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await CreateTablesAsync(connection, cancellationToken);

        var head = (long)(await Scalar(connection, "SELECT coalesce(max(position), 0) FROM event_chain", cancellationToken))!;
        var memory = new MemoryReadModel(Tables);
        var events = await ReplayAsync(connection, memory, head, progress, cancellationToken);
        var rows = Tables.Sum(t => (long)memory.RowCount(t));
        long copied = 0;
        await memory.CopyAsync(connection, Schema, (table, written) =>
            progress?.Report(new RebuildProgress($"copy {table.Name}", copied + written, rows)), cancellationToken);
        copied = rows;
        progress?.Report(new RebuildProgress("indexes", 0, Tables.Count));
        await AddIndexesAsync(connection, cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (caughtUp, position, comparison) = await SwapAsync(connection, head, progress, cancellationToken);
                return new RebuildResult(events + caughtUp, caughtUp, position, clock.Elapsed, comparison);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected && attempt < 400)
            {
                // A command holds one of the tables: let it finish and try again.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(25 * attempt, 250)), cancellationToken);
            }
        }
    }

    private async Task CreateTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await Execute(connection, $"DROP SCHEMA IF EXISTS {Schema} CASCADE; DROP SCHEMA IF EXISTS {Previous} CASCADE; CREATE SCHEMA {Schema}", cancellationToken);
        foreach (var table in Tables)
        {
            await Execute(connection,
                $"CREATE TABLE {Schema}.{table.Name} (LIKE public.{table.Name} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)",
                cancellationToken);
        }
    }

    /// <summary>Every event up to <paramref name="head"/> in chain order, one SELECT streamed, through every projection into memory.</summary>
    private async Task<long> ReplayAsync(NpgsqlConnection connection, MemoryReadModel memory, long head, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        long count = 0;
        await using var command = new NpgsqlCommand(
            "SELECT e.id, e.type, e.data FROM event_chain c JOIN mt_events e ON e.seq_id = c.seq_id WHERE c.position <= $1 ORDER BY c.position", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = head });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Apply(memory, reader.GetGuid(0), reader.GetString(1), reader.GetString(2));
            if (++count % 20_000 == 0)
            {
                progress?.Report(new RebuildProgress("replay", count, head));
            }
        }
        progress?.Report(new RebuildProgress("replay", count, head));
        return count;
    }

    private void Apply(IReadModelWriter writer, Guid id, string type, string json)
    {
        var data = JsonSerializer.Deserialize(json, types.TypeOf(type), LedgerJson.Options)
            ?? throw new InvalidOperationException($"event {id} holds null");
        var projected = new ProjectedEvent(id, type, data);
        foreach (var projection in projections)
        {
            projection.Project(projected, writer);
        }
    }

    /// <summary>The live tables' constraints and indexes, under the same names, on the rebuilt tables (after the COPY: faster).</summary>
    private async Task AddIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var statements = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', $1, t.relname, con.conname, pg_get_constraintdef(con.oid)) " +
            "FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace " +
            "WHERE n.nspname = 'public' AND t.relname = ANY($2) AND con.contype IN ('p', 'u') " +
            "UNION ALL " +
            "SELECT replace(pg_get_indexdef(i.indexrelid), ' ON public.', format(' ON %I.', $1)) FROM pg_index i " +
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace " +
            "WHERE n.nspname = 'public' AND t.relname = ANY($2) AND NOT EXISTS (SELECT FROM pg_constraint con WHERE con.conindid = i.indexrelid) " +
            "UNION ALL " +
            "SELECT format('GRANT %s ON %I.%I TO %I', a.privilege_type, $1, t.relname, r.rolname) FROM pg_class t " +
            "JOIN pg_namespace n ON n.oid = t.relnamespace CROSS JOIN LATERAL aclexplode(t.relacl) a JOIN pg_roles r ON r.oid = a.grantee " +
            "WHERE n.nspname = 'public' AND t.relname = ANY($2) AND a.grantee <> t.relowner", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Schema });
            command.Parameters.Add(new NpgsqlParameter { Value = Tables.Select(t => t.Name).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statements.Add(reader.GetString(0));
            }
        }
        foreach (var statement in statements)
        {
            await Execute(connection, statement, cancellationToken);
        }
        await Execute(connection, string.Join("; ", Tables.Select(t => $"ANALYZE {Schema}.{t.Name}")), cancellationToken);
    }

    private async Task<(long CaughtUp, long Position, IReadOnlyList<TableComparison> Comparison)> SwapAsync(
        NpgsqlConnection connection, long head, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        var live = string.Join(", ", Tables.Select(t => $"public.{t.Name}"));
        // The comparison below sorts every row of every table while writers wait: give it the memory to do so in one pass.
        await Execute(connection, "SET LOCAL lock_timeout = '100ms'; SET LOCAL work_mem = '256MB'", cancellationToken, transaction);
        // Writers stop here (readers do not); then nothing commits to the chain until the swap is done.
        await Execute(connection, $"LOCK TABLE {live} IN SHARE MODE", cancellationToken, transaction);
        await Execute(connection, "SET LOCAL lock_timeout = 0", cancellationToken, transaction);
        await Execute(connection, ChainLock, cancellationToken, transaction);

        var caughtUp = await CatchUpAsync(connection, transaction, head, cancellationToken);
        var position = (long)(await Scalar(connection, "SELECT coalesce(max(position), 0) FROM event_chain", cancellationToken, transaction))!;
        progress?.Report(new RebuildProgress("compare", 0, Tables.Count));
        var comparison = new List<TableComparison>();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT (SELECT count(*) FROM {Schema}.{table.Name}), " +
                $"(SELECT count(*) FROM (SELECT * FROM public.{table.Name} EXCEPT ALL SELECT * FROM {Schema}.{table.Name}) missing), " +
                $"(SELECT count(*) FROM (SELECT * FROM {Schema}.{table.Name} EXCEPT ALL SELECT * FROM public.{table.Name}) extra)",
                connection, transaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            comparison.Add(new TableComparison(table.Name, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            progress?.Report(new RebuildProgress("compare", comparison.Count, Tables.Count));
        }
        await Execute(connection, $"LOCK TABLE {live} IN ACCESS EXCLUSIVE MODE; CREATE SCHEMA {Previous}", cancellationToken, transaction);
        foreach (var table in Tables)
        {
            await Execute(connection,
                $"ALTER TABLE public.{table.Name} SET SCHEMA {Previous}; ALTER TABLE {Schema}.{table.Name} SET SCHEMA public", cancellationToken, transaction);
        }
        await Execute(connection, $"DROP SCHEMA {Previous} CASCADE; DROP SCHEMA {Schema}", cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
        progress?.Report(new RebuildProgress("swapped", Tables.Count, Tables.Count));
        return (caughtUp, position, comparison);
    }

    /// <summary>The events committed since the replay's head, through the projections as SQL into the rebuilt tables.</summary>
    private async Task<long> CatchUpAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long head, CancellationToken cancellationToken)
    {
        var pending = new List<(Guid Id, string Type, string Data)>();
        await using (var command = new NpgsqlCommand(
            "SELECT e.id, e.type, e.data FROM event_chain c JOIN mt_events e ON e.seq_id = c.seq_id WHERE c.position > $1 ORDER BY c.position",
            connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = head });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        if (pending.Count == 0)
        {
            return 0;
        }
        await Execute(connection, $"SET LOCAL search_path = {Schema}, public", cancellationToken, transaction);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var writer = new SqlReadModelWriter((sql, parameters) =>
        {
            var statement = new NpgsqlBatchCommand(sql);
            foreach (var parameter in parameters)
            {
                statement.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
            }
            batch.BatchCommands.Add(statement);
        });
        foreach (var (id, type, data) in pending)
        {
            Apply(writer, id, type, data);
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await Execute(connection, "SET LOCAL search_path = public", cancellationToken, transaction);
        return pending.Count;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
