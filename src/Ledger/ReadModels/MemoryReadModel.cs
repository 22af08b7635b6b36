using Npgsql;

namespace Ledger.ReadModels;

/// <summary>
/// The read tables held in memory while a rebuild replays the log: each write changes rows here exactly as its SQL
/// would change them inline, and the result is written with one binary COPY per table.
/// </summary>
public sealed class MemoryReadModel : IReadModelWriter
{
    private readonly Dictionary<ReadTable, Dictionary<RowKey, object?[]>> _tables = [];

    public MemoryReadModel(IEnumerable<ReadTable> tables)
    {
        foreach (var table in tables)
        {
            _tables.Add(table, new Dictionary<RowKey, object?[]>());
        }
    }

    public IEnumerable<ReadTable> Tables => _tables.Keys;

    public int RowCount(ReadTable table) => Rows(table).Count;

    /// <summary>A table's rows as they stand, in the order they were first written.</summary>
    public IEnumerable<IReadOnlyList<object?>> RowsOf(ReadTable table) => Rows(table).Values;

    public void Insert(ReadTable table, params object?[] values)
    {
        var row = Resolve(table, values);
        if (!Rows(table).TryAdd(KeyOf(table, row), row))
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
            rows.Add(key, row);
            return;
        }
        foreach (var column in updateColumns)
        {
            var ordinal = table.Ordinal(column);
            existing[ordinal] = row[ordinal];
        }
    }

    public void Update(ReadTable table, object?[] key, params Assignment[] assignments)
    {
        if (!Rows(table).TryGetValue(new RowKey([.. key.Select(Value)]), out var row))
        {
            return;
        }
        foreach (var assignment in assignments)
        {
            row[table.Ordinal(assignment.Column)] = Value(assignment.Value);
        }
    }

    public void Increment(ReadTable table, object?[] key, params Delta[] deltas)
    {
        if (Rows(table).TryGetValue(new RowKey([.. key.Select(Value)]), out var row))
        {
            AddTo(table, row, deltas);
        }
    }

    public void Add(ReadTable table, object?[] key, params Delta[] deltas)
    {
        var rows = Rows(table);
        object?[] values = [.. key.Select(Value)];
        var rowKey = new RowKey(values);
        if (!rows.TryGetValue(rowKey, out var row))
        {
            row = [.. table.Columns.Select(c => c.Default)];
            values.CopyTo(row, 0);
            rows.Add(rowKey, row);
        }
        AddTo(table, row, deltas);
    }

    internal static void AddTo(ReadTable table, object?[] row, Delta[] deltas)
    {
        foreach (var delta in deltas)
        {
            var ordinal = table.Ordinal(delta.Column);
            // Each arm boxed on its own: a switch expression would otherwise convert every sum to decimal.
            row[ordinal] = (row[ordinal], delta.Amount) switch
            {
                (int a, int b) => (object)(a + b),
                (long a, long b) => (object)(a + b),
                (decimal a, decimal b) => (object)(a + b),
                var (a, b) => throw new InvalidOperationException($"{table.Name}.{delta.Column}: cannot add {b?.GetType().Name} to {a?.GetType().Name}"),
            };
        }
    }

    /// <summary>Writes every table's rows into <paramref name="schema"/> with binary COPY; reports rows written.</summary>
    public async Task CopyAsync(NpgsqlConnection connection, string schema, Action<ReadTable, long>? progress, CancellationToken cancellationToken)
    {
        foreach (var (table, rows) in _tables)
        {
            await CopyRowsAsync(connection, $"{schema}.{table.Name}", table.Columns, rows.Values, written => progress?.Invoke(table, written), cancellationToken);
        }
    }

    /// <summary>Rows of <paramref name="columns"/>, in that order, into <paramref name="target"/> with one binary COPY; reports rows written.</summary>
    internal static async Task CopyRowsAsync(
        NpgsqlConnection connection, string target, IReadOnlyList<ReadColumn> columns, IEnumerable<object?[]> rows, Action<long>? progress,
        CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {target} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        long written = 0;
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(row[i], columns[i].Type, cancellationToken);
                }
            }
            if (++written % 50_000 == 0)
            {
                progress?.Invoke(written);
            }
        }
        await importer.CompleteAsync(cancellationToken);
        progress?.Invoke(written);
    }

    private Dictionary<RowKey, object?[]> Rows(ReadTable table) =>
        _tables.TryGetValue(table, out var rows) ? rows : throw new InvalidOperationException($"{table.Name} is not one of the rebuilt tables.");

    private object?[] Resolve(ReadTable table, object?[] values) => table.RowOf(values, Looked);

    private object? Value(object? value) => value is Lookup lookup ? Looked(lookup) : value;

    private object? Looked(Lookup lookup) =>
        Rows(lookup.Table).TryGetValue(new RowKey([lookup.Key]), out var row) ? row[lookup.Table.Ordinal(lookup.Column)] : null;

    private static RowKey KeyOf(ReadTable table, object?[] row) => table.KeyOf(row);
}
