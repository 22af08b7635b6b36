using Ledger.ReadModels;

namespace Ledger.PublishedFigures;

/// <summary>Keeps <c>published_figures</c>: the statement of every figure that stands now, with its revision count.</summary>
public sealed class PublishedFigureProjection : IReadProjection
{
    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.PublishedFigures];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case PublishedFigureRecorded e:
                writer.Insert(ReadTables.PublishedFigures, e.FigureId, e.JurisdictionCode, e.Year, e.Measure, StoredName.Of(e.Basis),
                    e.Statement.Value, e.Statement.Unit, e.Statement.LowerBound, e.Statement.Source, e.Statement.Quote, 0);
                break;
            case PublishedFigureRevised e:
                writer.Update(ReadTables.PublishedFigures, [e.FigureId],
                    new("value", e.Statement.Value), new("unit", e.Statement.Unit), new("lower_bound", e.Statement.LowerBound),
                    new("source", e.Statement.Source), new("quote", e.Statement.Quote));
                writer.Increment(ReadTables.PublishedFigures, [e.FigureId], new Delta("revision", 1));
                break;
        }
    }
}
