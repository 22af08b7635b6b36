using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Ledger.ReadModels;

/// <summary>
/// The read projections inline: Marten hands every appended event here inside the appending transaction, and each
/// projection's writes are queued as SQL in the same session, so the tables commit (or roll back) with the events.
/// </summary>
public sealed partial class InlineReadModels(IReadOnlyList<IReadProjection> projections) : EventProjection
{
    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent stored, CancellationToken cancellation)
    {
        var writer = new SqlReadModelWriter((sql, parameters) => Sql.Queue(operations, sql, parameters));
        var projected = new ProjectedEvent(stored.Id, stored.EventTypeName, stored.Data);
        foreach (var projection in projections)
        {
            projection.Project(projected, writer);
        }
        return ValueTask.CompletedTask;
    }
}
