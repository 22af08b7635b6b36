using System.Runtime.CompilerServices;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Ledger.ReadModels;

/// <summary>
/// The read projections inline: Marten hands every appended event here inside the appending transaction, and each
/// projection's writes are queued as SQL in the same session, so the tables commit (or roll back) with the events.
/// A session handed to <see cref="DeferTo"/> queues no SQL: its events go to a <see cref="BulkReadModel"/>, which its
/// caller writes in the same transaction before committing (a batched import's commits).
/// </summary>
public sealed partial class InlineReadModels(IReadOnlyList<IReadProjection> projections) : EventProjection
{
    private static readonly ConditionalWeakTable<IDocumentOperations, BulkReadModel> Deferred = [];

    /// <summary>The events <paramref name="session"/> saves are collected into <paramref name="rows"/> instead of projected as SQL.</summary>
    public static void DeferTo(IDocumentSession session, BulkReadModel rows) => Deferred.AddOrUpdate(session, rows);

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent stored, CancellationToken cancellation)
    {
        var projected = new ProjectedEvent(stored.Id, stored.EventTypeName, stored.Data);
        if (Deferred.TryGetValue(operations, out var bulk))
        {
            bulk.Add(projected);
            return ValueTask.CompletedTask;
        }
        var writer = new SqlReadModelWriter((sql, parameters) => Sql.Queue(operations, sql, parameters));
        foreach (var projection in projections)
        {
            projection.Project(projected, writer);
        }
        return ValueTask.CompletedTask;
    }
}
