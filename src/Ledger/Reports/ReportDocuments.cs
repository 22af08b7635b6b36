using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Reports;

/// <summary>
/// The documents reports answer with, shaped for JSON (camelCase; amounts as strings with exactly two decimals; dates
/// yyyy-MM-dd; instants ISO-8601 with Z), the same from the command line and over HTTP.
/// </summary>
public static class ReportDocuments
{
    public static string Yuan(Money money) => money.ToString();

    public static string Yuan(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    public static string? Instant(Instant? instant) => instant is { } i ? InstantPattern.ExtendedIso.Format(i) : null;

    public static string Basis(TotalsBasis basis) => basis == TotalsBasis.Paid ? "paid" : "determined";

    public static string By(TotalsBy by) => by.ToString().ToLowerInvariant();

    public static TotalsDocument Of(TotalsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var a = report.Amounts;
        return new TotalsDocument(
            report.Jurisdiction, report.JurisdictionName, report.Year, Basis(report.Basis), report.Issuer, By(report.By),
            Instant(report.Point.AsOf), report.Point.Position, Yuan(report.Total),
            Yuan(a.Determined), Yuan(a.Reserved), Yuan(a.Paid), Yuan(a.Returned), Yuan(a.ClawedBack), Yuan(a.Repaid), Yuan(a.NetPaid),
            a.Enterprises, a.Awards,
            [.. report.Rows.Select(r => new TotalsRowDocument(
                r.Key, r.Name, Yuan(r.Amounts.Total(report.Basis)), Yuan(r.Amounts.Determined), Yuan(r.Amounts.Reserved), Yuan(r.Amounts.Paid),
                Yuan(r.Amounts.Returned), Yuan(r.Amounts.ClawedBack), Yuan(r.Amounts.Repaid), Yuan(r.Amounts.NetPaid),
                r.Amounts.Enterprises, r.Amounts.Awards))]);
    }

    public static ReconciliationDocument Of(Reconciliation r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var money = r.Basis is PublishedFigures.FigureBasis.Paid or PublishedFigures.FigureBasis.Determined or PublishedFigures.FigureBasis.PaidCumulative;
        string Value(decimal v) => money ? Yuan(v) : v.ToString("0", CultureInfo.InvariantCulture);
        return new ReconciliationDocument(
            r.Jurisdiction, r.JurisdictionName, r.Year, StoredName.Of(r.Basis), r.Measure, r.Issuer, Instant(r.Point.AsOf), r.Point.Position,
            Value(r.Ledger), Value(r.Published), Value(r.Variance), r.Reconciled, r.LowerBound, r.PublishedSource, r.PublishedQuote,
            Yuan(r.LedgerPaid), Yuan(r.LedgerDetermined),
            [.. r.Explanation.Select(l => new ExplanationDocument(l.Code, l.Text, money || l.Code != "stock" ? Yuan(l.Amount) : Value(l.Amount.Yuan)))],
            [.. r.Awards.Select(a => new AwardListingDocument(
                a.AwardId, a.Uscc, a.EnterpriseName, a.CountyCode, a.Tier, a.IssuerCode, Date(a.DeterminationDate),
                Yuan(a.Determined), Yuan(a.Paid), Yuan(a.Returned), Yuan(a.Repaid), Yuan(a.NetPaid), Yuan(a.ClawedBack), Yuan(a.PaidLater),
                [.. a.Events.Select(e => new MovementDocument(e.Measure, e.Level, Date(e.Date), Yuan(e.Amount), Proof(e.Event)))]))]);
    }

    public static HistoryDocument Of(EnterpriseHistory h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return new HistoryDocument(h.Uscc, h.Name, h.CountyCode, Instant(h.Point.AsOf), h.Point.Position,
            [.. h.Lines.Select(l => new HistoryLineDocument(
                l.Kind, Date(l.Date), l.Amount is { } m ? Yuan(m) : null, l.Tier, l.DesignationId, l.AwardId, l.DisbursementId,
                l.ValidTo is { } to ? Date(to) : null, l.CountyCode, l.Detail, l.Actor, Proof(l.Event)))]);
    }

    public static BudgetExecutionDocument Of(BudgetExecutionReport b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new BudgetExecutionDocument(b.Jurisdiction, b.Year, Instant(b.Point.AsOf), b.Point.Position,
            [.. b.Lines.Select(l => new BudgetLineDocument(l.DivisionCode, l.DivisionName, l.Year, l.Level, Yuan(l.Appropriated), Yuan(l.Adjusted),
                Yuan(l.Reserved), Yuan(l.Paid), Yuan(l.Returned), Yuan(l.Repaid), Yuan(l.Available)))]);
    }

    public static EventProofDocument Proof(EventProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return new EventProofDocument(proof.EventId, proof.Seq, proof.Position, Instant(proof.ChainedAt)!);
    }
}

public sealed record EventProofDocument(Guid EventId, long Seq, long Position, string ChainedAt);

public sealed record TotalsRowDocument(
    string Key, string Name, string TotalYuan, string DeterminedYuan, string ReservedYuan, string PaidYuan, string ReturnedYuan,
    string ClawedBackYuan, string RepaidYuan, string NetPaidYuan, int Enterprises, int Awards);

public sealed record TotalsDocument(
    string Jurisdiction, string JurisdictionName, int Year, string Basis, string? Issuer, string By, string? AsOf, long Position,
    string TotalYuan, string DeterminedYuan, string ReservedYuan, string PaidYuan, string ReturnedYuan, string ClawedBackYuan,
    string RepaidYuan, string NetPaidYuan, int Enterprises, int Awards, IReadOnlyList<TotalsRowDocument> Rows);

public sealed record ExplanationDocument(string Code, string Text, string AmountYuan);

public sealed record MovementDocument(string Measure, string Level, string Date, string AmountYuan, EventProofDocument Event);

public sealed record AwardListingDocument(
    Guid AwardId, string Uscc, string EnterpriseName, string CountyCode, string Tier, string IssuerCode, string DeterminationDate,
    string DeterminedYuan, string PaidYuan, string ReturnedYuan, string RepaidYuan, string NetPaidYuan, string ClawedBackYuan,
    string PaidLaterYuan, IReadOnlyList<MovementDocument> Events);

/// <summary>For money bases the ledger, published and variance figures are 元 (<c>ledgerTotalYuan</c> …); for <c>stock</c>, enterprises.</summary>
public sealed record ReconciliationDocument(
    string Jurisdiction, string JurisdictionName, int Year, string Basis, string Measure, string? Issuer, string? AsOf, long Position,
    string LedgerTotalYuan, string PublishedYuan, string VarianceYuan, bool Reconciled, bool PublishedIsLowerBound, string PublishedSource,
    string? PublishedQuote, string LedgerPaidYuan, string LedgerDeterminedYuan, IReadOnlyList<ExplanationDocument> Explanation,
    IReadOnlyList<AwardListingDocument> Awards);

public sealed record HistoryLineDocument(
    string Kind, string Date, string? AmountYuan, string? Tier, Guid? DesignationId, Guid? AwardId, Guid? DisbursementId, string? ValidTo,
    string CountyCode, string Detail, string Actor, EventProofDocument Event);

public sealed record HistoryDocument(string Uscc, string Name, string CountyCode, string? AsOf, long Position, IReadOnlyList<HistoryLineDocument> Lines);

public sealed record BudgetLineDocument(
    string DivisionCode, string DivisionName, int Year, string Level, string AppropriatedYuan, string AdjustedYuan, string ReservedYuan,
    string PaidYuan, string ReturnedYuan, string RepaidYuan, string AvailableYuan);

public sealed record BudgetExecutionDocument(string Jurisdiction, int Year, string? AsOf, long Position, IReadOnlyList<BudgetLineDocument> Lines);
