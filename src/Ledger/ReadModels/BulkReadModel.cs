using Npgsql;
using NpgsqlTypes;

namespace Ledger.ReadModels;

/// <summary>
/// The read rows of one commit's events, written set-based in the commit's own transaction rather than as several
/// statements per event (a batched import's commits, docs/decisions.md "Commands and imports"). The projections run twice
/// over the events, in the order Marten hands them to the inline projection:
/// <list type="number">
/// <item>to learn which rows already in the tables the events change or look values up in, which are then read in one
/// query per table — the rows to change <c>FOR UPDATE</c>, so a command changing one meanwhile waits for this commit
/// instead of losing its update or having it overwritten;</item>
/// <item>over those rows in memory, each write changing them exactly as its SQL would at that point.</item>
/// </list>
/// Then new rows go in with one binary COPY per table, changed rows with one UPDATE per table from a COPY-filled
/// temporary table, and increments of rows not read (annual totals, budget execution) as one upsert per table of the
/// summed deltas, atomic as the inline upserts are. The tables end as the inline projection would leave them.
/// </summary>
public sealed class BulkReadModel(IReadOnlyList<IReadProjection> projections)
{
    private readonly List<ProjectedEvent> _events = [];

    /// <summary>Events collected so far.</summary>
    public int EventCount => _events.Count;

    public void Add(ProjectedEvent @event) => _events.Add(@event);

    /// <summary>Writes the rows of every collected event on <paramref name="transaction"/>, which the caller commits.</summary>
    public async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var touched = new TouchedRows();
        Project(touched);
        var rows = new BulkRows();
        foreach (var (table, keys) in touched.Changed)
        {
            await rows.LoadAsync(connection, transaction, table, keys, forUpdate: true, cancellationToken);
        }
        foreach (var (table, keys) in touched.LookedUp)
        {
            if (touched.Changed.TryGetValue(table, out var changed))
            {
                keys.ExceptWith(changed);
            }
            await rows.LoadAsync(connection, transaction, table, keys, forUpdate: false, cancellationToken);
        }
        Project(rows);
        await rows.WriteAsync(connection, transaction, cancellationToken);
    }

    private void Project(IReadModelWriter writer)
    {
        foreach (var @event in _events)
        {
            foreach (var projection in projections)
            {
                projection.Project(@event, writer);
            }
        }
    }

    /// <summary>The first pass: keys of the rows the writes need as they stand in the tables.</summary>
    private sealed class TouchedRows : IReadModelWriter
    {
        private readonly Dictionary<ReadTable, HashSet<object>> _inserted = [];

        /// <summary>Rows changed in place (updates, increments, upserts): read for update.</summary>
        public Dictionary<ReadTable, HashSet<object>> Changed { get; } = [];

        /// <summary>Rows other rows take values from.</summary>
        public Dictionary<ReadTable, HashSet<object>> LookedUp { get; } = [];

        public void Insert(ReadTable table, params object?[] values)
        {
            Note(values);
            if (table.KeyCount == 1 && values[0] is { } key and not Lookup)
            {
                Set(_inserted, table).Add(key);
            }
        }

        public void Upsert(ReadTable table, object?[] values, params string[] updateColumns)
        {
            Note(values);
            Change(table, values[..table.KeyCount]);
            Set(_inserted, table).Add(values[0]!);
        }

        public void Update(ReadTable table, object?[] key, params Assignment[] assignments)
        {
            Note([.. assignments.Select(a => a.Value)]);
            Change(table, key);
        }

        public void Increment(ReadTable table, object?[] key, params Delta[] deltas) => Change(table, key);

        // Increments of rows nobody reads are summed and upserted: only the lookups in their key matter.
        public void Add(ReadTable table, object?[] key, params Delta[] deltas) => Note(key);

        private void Change(ReadTable table, object?[] key)
        {
            if (key is not [{ } value] || value is Lookup)
            {
                throw new NotSupportedException($"{table.Name}: a bulk write reads the rows it changes by a one-column key given as a value.");
            }
            if (!_inserted.TryGetValue(table, out var inserted) || !inserted.Contains(value))
            {
                Set(Changed, table).Add(value);
            }
        }

        private void Note(object?[] values)
        {
            foreach (var value in values)
            {
                if (value is Lookup lookup && !(_inserted.TryGetValue(lookup.Table, out var inserted) && inserted.Contains(lookup.Key)))
                {
                    Set(LookedUp, lookup.Table).Add(lookup.Key);
                }
            }
        }

        private static HashSet<object> Set(Dictionary<ReadTable, HashSet<object>> sets, ReadTable table) =>
            sets.TryGetValue(table, out var set) ? set : sets[table] = [];
    }

    /// <summary>A row in memory: its values now and, for a row read from the table, as it was read.</summary>
    private sealed record Row(object?[] Values, object?[]? Stored);

    /// <summary>The second pass: the rows read, and those the writes make, changed in memory as the SQL would change them.</summary>
    private sealed class BulkRows : IReadModelWriter
    {
        private readonly Dictionary<ReadTable, Dictionary<RowKey, Row>> _rows = [];
        private readonly Dictionary<ReadTable, Dictionary<RowKey, object?[]>> _sums = [];

        public async Task LoadAsync(
            NpgsqlConnection connection, NpgsqlTransaction transaction, ReadTable table, IReadOnlyCollection<object> keys, bool forUpdate,
            CancellationToken cancellationToken)
        {
            if (keys.Count == 0)
            {
                return;
            }
            var key = table.Columns[0];
            var array = Array.CreateInstance(keys.First().GetType(), keys.Count);
            var i = 0;
            foreach (var value in keys)
            {
                array.SetValue(value, i++);
            }
            await using var command = new NpgsqlCommand(
                $"SELECT {string.Join(", ", table.Columns.Select(c => c.Name))} FROM {table.Name} WHERE {key.Name} = ANY($1)" + (forUpdate ? " FOR UPDATE" : ""),
                connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = array, NpgsqlDbType = NpgsqlDbType.Array | key.Type });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = Rows(table);
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = new object?[table.Columns.Count];
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = reader.IsDBNull(c) ? null : Read(reader, c, table.Columns[c].Type);
                }
                rows[KeyOf(table, values)] = new Row(values, [.. values]);
            }
        }

        private static object Read(NpgsqlDataReader reader, int ordinal, NpgsqlDbType type) => type switch
        {
            NpgsqlDbType.Uuid => reader.GetGuid(ordinal),
            NpgsqlDbType.Text => reader.GetString(ordinal),
            NpgsqlDbType.Integer => reader.GetInt32(ordinal),
            NpgsqlDbType.Bigint => reader.GetInt64(ordinal),
            NpgsqlDbType.Numeric => reader.GetDecimal(ordinal),
            NpgsqlDbType.Boolean => reader.GetBoolean(ordinal),
            NpgsqlDbType.Date => reader.GetFieldValue<DateOnly>(ordinal),
            _ => throw new NotSupportedException($"read tables hold no {type} columns"),
        };

        public void Insert(ReadTable table, params object?[] values)
        {
            var row = Resolve(table, values);
            var key = KeyOf(table, row);
            if (_sums.TryGetValue(table, out var sums) && sums.ContainsKey(key))
            {
                throw new NotSupportedException($"{table.Name}: a row both inserted and incremented in one bulk write.");
            }
            if (!Rows(table).TryAdd(key, new Row(row, null)))
            {
                throw new InvalidOperationException($"{table.Name}: a row with key ({string.Join(", ", row.Take(table.KeyCount))}) exists already.");
            }
        }

        public void Upsert(ReadTable table, object?[] values, params string[] updateColumns)
        {
            var row = Resolve(table, values);
            var rows = Rows(table);
            var key = KeyOf(table, row);
            if (!rows.TryGetValue(key, out var existing))
            {
                Insert(table, row);
                return;
            }
            foreach (var column in updateColumns)
            {
                var ordinal = table.Ordinal(column);
                existing.Values[ordinal] = row[ordinal];
            }
        }

        public void Update(ReadTable table, object?[] key, params Assignment[] assignments)
        {
            if (Rows(table).TryGetValue(new RowKey([.. key.Select(Value)]), out var row))
            {
                foreach (var assignment in assignments)
                {
                    row.Values[table.Ordinal(assignment.Column)] = Value(assignment.Value);
                }
            }
        }

        public void Increment(ReadTable table, object?[] key, params Delta[] deltas)
        {
            if (Rows(table).TryGetValue(new RowKey([.. key.Select(Value)]), out var row))
            {
                MemoryReadModel.AddTo(table, row.Values, deltas);
            }
        }

        public void Add(ReadTable table, object?[] key, params Delta[] deltas)
        {
            object?[] values = [.. key.Select(Value)];
            var rowKey = new RowKey(values);
            if (Rows(table).TryGetValue(rowKey, out var row))
            {
                MemoryReadModel.AddTo(table, row.Values, deltas);
                return;
            }
            var sums = Sums(table);
            if (!sums.TryGetValue(rowKey, out var sum))
            {
                // Every other column starts at zero: added to the stored row, or inserted as the column's default would be.
                sum = [.. table.Columns.Select((c, i) => i < table.KeyCount || c.Default is { } zero && IsZero(zero)
                    ? c.Default
                    : throw new NotSupportedException($"{table.Name}.{c.Name}: a column incremented in bulk must default to zero."))];
                values.CopyTo(sum, 0);
                sums.Add(rowKey, sum);
            }
            MemoryReadModel.AddTo(table, sum, deltas);
        }

        private static bool IsZero(object value) => value switch
        {
            int i => i == 0,
            long l => l == 0,
            decimal d => d == 0m,
            _ => false,
        };

        public async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
        {
            foreach (var (table, rows) in _rows)
            {
                var added = rows.Values.Where(r => r.Stored is null).Select(r => r.Values).ToList();
                if (added.Count > 0)
                {
                    await MemoryReadModel.CopyRowsAsync(connection, table.Name, table.Columns, added, null, cancellationToken);
                }
                var changed = rows.Values.Where(r => r.Stored is { } stored && !r.Values.SequenceEqual(stored)).Select(r => r.Values).ToList();
                if (changed.Count > 0)
                {
                    var staged = await StageAsync(connection, transaction, table, "changed", changed, cancellationToken);
                    var set = table.Columns.Skip(table.KeyCount).Select(c => $"{c.Name} = s.{c.Name}");
                    var match = table.Key.Select(c => $"t.{c.Name} = s.{c.Name}");
                    await ExecuteAsync(connection, transaction,
                        $"UPDATE {table.Name} AS t SET {string.Join(", ", set)} FROM {staged} AS s WHERE {string.Join(" AND ", match)}", cancellationToken);
                }
            }
            foreach (var (table, sums) in _sums.Where(s => s.Value.Count > 0))
            {
                var staged = await StageAsync(connection, transaction, table, "sums", sums.Values, cancellationToken);
                var columns = string.Join(", ", table.Columns.Select(c => c.Name));
                var key = string.Join(", ", table.Key.Select(c => c.Name));
                var add = table.Columns.Skip(table.KeyCount).Select(c => $"{c.Name} = t.{c.Name} + excluded.{c.Name}");
                // In key order, so that two writers upserting the same rows take their locks in one order.
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {table.Name} AS t ({columns}) SELECT {columns} FROM {staged} ORDER BY {key} " +
                    $"ON CONFLICT ({key}) DO UPDATE SET {string.Join(", ", add)}", cancellationToken);
            }
        }

        /// <summary>Rows into a temporary table shaped like <paramref name="table"/>, dropped at commit; returns its name.</summary>
        private static async Task<string> StageAsync(
            NpgsqlConnection connection, NpgsqlTransaction transaction, ReadTable table, string what, IEnumerable<object?[]> rows,
            CancellationToken cancellationToken)
        {
            var staged = $"bulk_{table.Name}_{what}";
            await ExecuteAsync(connection, transaction, $"CREATE TEMPORARY TABLE {staged} (LIKE {table.Name}) ON COMMIT DROP", cancellationToken);
            await MemoryReadModel.CopyRowsAsync(connection, staged, table.Columns, rows, null, cancellationToken);
            return staged;
        }

        private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private Dictionary<RowKey, Row> Rows(ReadTable table) => _rows.TryGetValue(table, out var rows) ? rows : _rows[table] = [];

        private Dictionary<RowKey, object?[]> Sums(ReadTable table) => _sums.TryGetValue(table, out var sums) ? sums : _sums[table] = [];

        private object?[] Resolve(ReadTable table, object?[] values) => table.RowOf(values, Looked);

        private object? Value(object? value) => value is Lookup lookup ? Looked(lookup) : value;

        // A row neither read nor written by this commit is in no table: the sub-select would find nothing either.
        private object? Looked(Lookup lookup) =>
            Rows(lookup.Table).TryGetValue(new RowKey([lookup.Key]), out var row) ? row.Values[lookup.Table.Ordinal(lookup.Column)] : null;

        private static RowKey KeyOf(ReadTable table, object?[] row) => table.KeyOf(row);
    }
}
