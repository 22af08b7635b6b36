using Npgsql;

namespace Ledger.EventStore;

/// <summary>
/// A read model kept in the same transaction as the append: if <see cref="ApplyAsync"/> throws,
/// the events are not appended either.
/// </summary>
public interface IInlineProjection
{
    /// <summary>Whether events of this storage name concern the projection.</summary>
    bool Handles(string eventType);

    /// <summary>Updates the read tables for the appended events it handles (in seq order).</summary>
    Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);
}
