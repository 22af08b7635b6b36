namespace Ledger.ReadModels;

/// <summary>
/// Where projections write their rows. Inline (<see cref="SqlReadModelWriter"/>) each call becomes a statement in the
/// appending transaction; in a rebuild (<see cref="MemoryReadModel"/>) it changes rows in memory that are then copied
/// in bulk. A projection written against this interface behaves the same in both, which the rebuild test checks.
/// Values are Guid, string, int, long, decimal, bool, DateOnly, null or a <see cref="Lookup"/>.
/// </summary>
public interface IReadModelWriter
{
    /// <summary>A new row, every column in table order. A row whose key exists already is an error.</summary>
    void Insert(ReadTable table, params object?[] values);

    /// <summary>A new row, or, when its key exists, the given columns of the existing row set from the new values.</summary>
    void Upsert(ReadTable table, object?[] values, params string[] updateColumns);

    /// <summary>Sets columns of the row with the given key; no such row: nothing happens.</summary>
    void Update(ReadTable table, object?[] key, params Assignment[] assignments);

    /// <summary>Adds to numeric columns of the existing row with the given key (<c>x = x + delta</c>); no such row: nothing happens.</summary>
    void Increment(ReadTable table, object?[] key, params Delta[] deltas);

    /// <summary>Adds to numeric columns of the row with the given key, creating it (other columns at their defaults) when missing.</summary>
    void Add(ReadTable table, object?[] key, params Delta[] deltas);
}

/// <summary>An event as a projection sees it: inline from Marten, in a rebuild from the log.</summary>
public sealed record ProjectedEvent(Guid Id, string Type, object Data);

/// <summary>A projection onto read tables, the same code inline and in a rebuild.</summary>
public interface IReadProjection
{
    /// <summary>The tables it writes, in an order where every table a <see cref="Lookup"/> reads comes first.</summary>
    IReadOnlyList<ReadTable> Tables { get; }

    void Project(ProjectedEvent @event, IReadModelWriter writer);
}
