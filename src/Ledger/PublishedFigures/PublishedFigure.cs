using System.Globalization;

namespace Ledger.PublishedFigures;

/// <summary>A published figure's stream folded: the statement that stands now and how many revisions it has had.</summary>
public sealed record PublishedFigure(
    Guid Id, string JurisdictionCode, int Year, string Measure, FigureBasis Basis, FigureStatement? Statement, int Revision)
{
    public static readonly PublishedFigure Initial = new(Guid.Empty, "", 0, "", FigureBasis.Paid, null, 0);

    public bool Exists => Statement is not null;

    /// <summary>One stream per jurisdiction × year × measure × basis (the figure's natural key).</summary>
    public static Guid StreamIdFor(string jurisdictionCode, int year, string measure, FigureBasis basis) =>
        DeterministicGuid.Create(string.Create(CultureInfo.InvariantCulture,
            $"published-figure:{jurisdictionCode}:{year}:{measure}:{StoredName.Of(basis)}"));

    public static PublishedFigure Fold(PublishedFigure state, object @event) => @event switch
    {
        PublishedFigureRecorded e => new(e.FigureId, e.JurisdictionCode, e.Year, e.Measure, e.Basis, e.Statement, 0),
        PublishedFigureRevised e => state with { Statement = e.Statement, Revision = state.Revision + 1 },
        _ => throw new ArgumentException($"Not an event of a published figure: {@event.GetType().Name}", nameof(@event)),
    };
}
