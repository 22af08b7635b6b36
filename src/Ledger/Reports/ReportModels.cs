using Ledger.PublishedFigures;
using NodaTime;

namespace Ledger.Reports;

/// <summary>How the totals are read: paid (net cash out by value date) or determined (by determination date).</summary>
public enum TotalsBasis
{
    Paid,
    Determined,
}

/// <summary>What the rows of a totals report are.</summary>
public enum TotalsBy
{
    County,
    Tier,
    Source,
    Issuer,
}

/// <summary>A totals question: a fiscal year for the enterprises in a jurisdiction's subtree, optionally of one issuer's awards, now or as of an instant.</summary>
public sealed record TotalsQuery(
    int Year, string Jurisdiction = Jurisdictions.Nation, string? Issuer = null, TotalsBy By = TotalsBy.County,
    TotalsBasis Basis = TotalsBasis.Paid, Instant? AsOf = null);

/// <summary>Where a report stands in the log: the chain position it answered at, and the instant asked for (null: now).</summary>
public sealed record ReportPoint(long Position, Instant? AsOf);

/// <summary>
/// The amounts of one set of awards in one fiscal year. <see cref="NetPaid"/> = paid − returned − repaid;
/// <see cref="Reserved"/> is approved and not yet paid or released on the year's lines.
/// </summary>
public sealed record TotalsAmounts(
    Money Determined, Money Reserved, Money Paid, Money Returned, Money ClawedBack, Money Repaid, int Enterprises, int Awards)
{
    public static readonly TotalsAmounts Zero = new(Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero, 0, 0);

    public Money NetPaid => Paid - Returned - Repaid;

    public Money Total(TotalsBasis basis) => basis == TotalsBasis.Paid ? NetPaid : Determined;
}

/// <summary>One row of a totals report: a county, tier, funding source or issuer.</summary>
public sealed record TotalsRow(string Key, string Name, TotalsAmounts Amounts);

/// <summary>A totals report: the whole and its rows. <see cref="Total"/> is on the report's basis.</summary>
public sealed record TotalsReport(
    string Jurisdiction, string JurisdictionName, int Year, TotalsBasis Basis, string? Issuer, TotalsBy By, ReportPoint Point,
    TotalsAmounts Amounts, IReadOnlyList<TotalsRow> Rows)
{
    public Money Total => Amounts.Total(Basis);
}

/// <summary>The event that proves a line: its id, Marten seq, chain position and when it was chained.</summary>
public sealed record EventProof(Guid EventId, long Seq, long Position, Instant ChainedAt);

/// <summary>One line of an enterprise's history.</summary>
public sealed record HistoryLine(
    string Kind, LocalDate Date, Money? Amount, string? Tier, Guid? DesignationId, Guid? AwardId, Guid? DisbursementId,
    LocalDate? ValidTo, string CountyCode, string Detail, string Actor, EventProof Event);

/// <summary>An enterprise's award history, in chain order.</summary>
public sealed record EnterpriseHistory(Guid EnterpriseId, string Uscc, string Name, string CountyCode, ReportPoint Point, IReadOnlyList<HistoryLine> Lines);

/// <summary>One budget line's execution (docs/reports.md): available = appropriated + adjusted − reserved − paid + returned + repaid.</summary>
public sealed record BudgetExecutionRow(
    string DivisionCode, string DivisionName, int Year, string Level,
    Money Appropriated, Money Adjusted, Money Reserved, Money Paid, Money Returned, Money Repaid)
{
    public Money Available => Appropriated + Adjusted - Reserved - Paid + Returned + Repaid;
}

public sealed record BudgetExecutionReport(string Jurisdiction, int Year, ReportPoint Point, IReadOnlyList<BudgetExecutionRow> Lines);

/// <summary>A reconciliation question: a jurisdiction's year against a published figure, recorded or given.</summary>
public sealed record ReconcileQuery(
    string Jurisdiction, int Year, FigureBasis Basis = FigureBasis.Paid, string? Measure = null, string? Issuer = null,
    decimal? Published = null, Instant? AsOf = null);

/// <summary>One line tying the determined total to the paid one (or explaining a cumulative or stock figure).</summary>
public sealed record ExplanationLine(string Code, string Text, Money Amount);

/// <summary>One award in the listing that makes up the totals, with the events of its movements in the year.</summary>
public sealed record AwardListingLine(
    Guid AwardId, Guid EnterpriseId, string Uscc, string EnterpriseName, string CountyCode, string Tier, string IssuerCode,
    LocalDate DeterminationDate, Money Determined, Money Paid, Money Returned, Money Repaid, Money ClawedBack, Money PaidLater,
    IReadOnlyList<MovementProof> Events)
{
    public Money NetPaid => Paid - Returned - Repaid;
}

/// <summary>A movement of an award and the event that made it.</summary>
public sealed record MovementProof(string Measure, string Level, LocalDate Date, Money Amount, EventProof Event);

/// <summary>
/// The ledger against a published figure. <see cref="Variance"/> = ledger − published; reconciled only at exactly 0.00,
/// or, for a figure published as a lower bound, when the ledger is at or above it.
/// </summary>
public sealed record Reconciliation(
    string Jurisdiction, string JurisdictionName, int Year, FigureBasis Basis, string Measure, string? Issuer, ReportPoint Point,
    decimal Ledger, decimal Published, bool LowerBound, string PublishedSource, string? PublishedQuote,
    Money LedgerPaid, Money LedgerDetermined, IReadOnlyList<ExplanationLine> Explanation, IReadOnlyList<AwardListingLine> Awards)
{
    public decimal Variance => Ledger - Published;

    public bool Reconciled => LowerBound ? Ledger >= Published : Variance == 0m;
}

/// <summary>Division codes reports start from.</summary>
public static class Jurisdictions
{
    /// <summary>The nation (GB/T 2260 has no code for it; published figures and reports use 100000).</summary>
    public const string Nation = "100000";
}
