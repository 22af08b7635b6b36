using System.Globalization;
using Ledger.Reference;

namespace Ledger.PublishedFigures;

/// <summary>Records and revises published figures: a known jurisdiction, measure and unit, a basis that fits the measure, an exact value.</summary>
public static class PublishedFigureDecider
{
    /// <returns>The event to append, or null when the ledger holds this statement already.</returns>
    public static PublishedFigureRecorded? Decide(
        FigureInput figure, PublishedFigure state, string actor, NodaTime.Instant at, ReferenceData reference, PublishedMeasures measures)
    {
        var jurisdiction = Validate(figure, reference, measures);
        if (state.Statement is { } held)
        {
            return held == figure.Statement
                ? null
                : throw new DomainException("published-figure.exists", string.Create(CultureInfo.InvariantCulture,
                    $"value: {Key(figure)} is recorded as {Describe(held)}; this says {Describe(figure.Statement)}. A newer publication is a revision."));
        }
        return new PublishedFigureRecorded(
            PublishedFigure.StreamIdFor(figure.JurisdictionCode, figure.Year, figure.Measure, figure.Basis),
            figure.JurisdictionCode, jurisdiction.Name, figure.Year, figure.Measure, figure.Basis, figure.Statement, actor, at);
    }

    public static PublishedFigureRevised Decide(RevisePublishedFigure command, PublishedFigure state, ReferenceData reference, PublishedMeasures measures)
    {
        ArgumentNullException.ThrowIfNull(command);
        Validate(command.Figure, reference, measures);
        var reason = Require.Text(command.Reason, "published-figure.field-required", "reason");
        var held = state.Statement ?? throw new DomainException("published-figure.not-found",
            $"figure: {Key(command.Figure)} has not been recorded; record it first.");
        if (held == command.Figure.Statement)
        {
            throw new DomainException("published-figure.unchanged", $"value: {Key(command.Figure)} already states {Describe(held)}.");
        }
        return new PublishedFigureRevised(state.Id, held, command.Figure.Statement, reason, command.Actor, command.At);
    }

    /// <summary>The figure's checks, each naming its field; returns the jurisdiction.</summary>
    public static Division Validate(FigureInput figure, ReferenceData reference, PublishedMeasures measures)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var jurisdiction = reference.FindDivision(figure.JurisdictionCode ?? "")
            ?? throw new DomainException("published-figure.jurisdiction", $"jurisdictionCode: '{figure.JurisdictionCode}' is not a division code the ledger knows (100000 for the nation).");
        if (figure.Year is < 1949 or > 2100)
        {
            throw new DomainException("published-figure.year", string.Create(CultureInfo.InvariantCulture, $"year: {figure.Year} is not a fiscal year."));
        }
        var measure = measures.Find(figure.Measure ?? "")
            ?? throw new DomainException("published-figure.measure", $"measure: '{figure.Measure}' is not one of {string.Join(", ", measures.All.Select(m => m.Code))} ({PublishedMeasures.File}).");
        if (figure.Unit != measure.Unit)
        {
            throw new DomainException("published-figure.unit", $"unit: {measure.Code} is published in {measure.Unit}, not '{figure.Unit}'.");
        }
        var fits = measure.Kind == MeasureKind.Count ? figure.Basis == FigureBasis.Stock : figure.Basis != FigureBasis.Stock;
        if (!fits)
        {
            throw new DomainException("published-figure.basis",
                $"basis: {StoredName.Of(figure.Basis)} does not fit {measure.Code} ({(measure.Kind == MeasureKind.Count ? "a count is a stock" : "money is paid, determined or paid_cumulative")}).");
        }
        if (figure.Value < 0 || decimal.Round(figure.Value, measure.Kind == MeasureKind.Count ? 0 : 2) != figure.Value)
        {
            throw new DomainException("published-figure.value", string.Create(CultureInfo.InvariantCulture,
                $"value: {figure.Value} is not {(measure.Kind == MeasureKind.Count ? "a whole number of enterprises" : "an amount in 元 with at most 2 decimals")}."));
        }
        Require.Text(figure.Source, "published-figure.field-required", "source");
        return jurisdiction;
    }

    private static string Key(FigureInput figure) => string.Create(CultureInfo.InvariantCulture,
        $"{figure.JurisdictionCode} {figure.Year} {figure.Measure} ({StoredName.Of(figure.Basis)})");

    private static string Describe(FigureStatement statement) => string.Create(CultureInfo.InvariantCulture,
        $"{(statement.LowerBound ? "at least " : "")}{statement.Value} {statement.Unit} from {statement.Source}");
}
