using NpgsqlTypes;

namespace Ledger.ReadModels;

/// <summary>One column of a read table, with the type a binary COPY writes it as.</summary>
public sealed record ReadColumn(string Name, NpgsqlDbType Type, object? Default = null);

/// <summary>
/// A read table as the projections see it: its columns in table order, the first <see cref="KeyCount"/> of which are
/// its primary key. The migrations create the tables; a test checks that every definition here matches the database.
/// </summary>
public sealed class ReadTable
{
    private readonly Dictionary<string, int> _ordinals;

    public ReadTable(string name, int keyCount, params ReadColumn[] columns)
    {
        Name = name;
        KeyCount = keyCount;
        Columns = columns;
        _ordinals = columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    public string Name { get; }

    public int KeyCount { get; }

    public IReadOnlyList<ReadColumn> Columns { get; }

    public IEnumerable<ReadColumn> Key => Columns.Take(KeyCount);

    public int Ordinal(string column) =>
        _ordinals.TryGetValue(column, out var ordinal) ? ordinal : throw new ArgumentException($"{Name} has no column {column}", nameof(column));

    /// <summary>
    /// A written row for an in-memory writer (rebuild, bulk import commit): every column given, each <see cref="Lookup"/>
    /// replaced by what <paramref name="lookUp"/> finds.
    /// </summary>
    internal object?[] RowOf(object?[] values, Func<Lookup, object?> lookUp)
    {
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException($"A write to {Name} must give a value for every column.");
        }
        return [.. values.Select(v => v is Lookup lookup ? lookUp(lookup) : v)];
    }

    /// <summary>The primary key of a full row.</summary>
    internal RowKey KeyOf(object?[] row) => new(row[..KeyCount]);

    public override string ToString() => Name;
}

/// <summary>
/// A value taken from another read table's row when the row is written: a scalar sub-select inline, a dictionary
/// lookup during a rebuild. The looked-up row is keyed by one column (its primary key).
/// </summary>
public sealed record Lookup(ReadTable Table, object Key, string Column);

/// <summary>A numeric column raised (or lowered) by a delta: <c>x = x + excluded.x</c>.</summary>
public readonly record struct Delta(string Column, object Amount);

/// <summary>A column set to a value.</summary>
public readonly record struct Assignment(string Column, object? Value);

/// <summary>A primary key's values, compared by value.</summary>
internal readonly struct RowKey(object?[] values) : IEquatable<RowKey>
{
    private readonly object?[] _values = values;

    public IReadOnlyList<object?> Values => _values;

    public bool Equals(RowKey other) => _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => obj is RowKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in _values)
        {
            hash.Add(value);
        }
        return hash.ToHashCode();
    }
}
