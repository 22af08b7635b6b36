using Ledger.EventStore;
using Ledger.PublishedFigures;
using NodaTime;

namespace Ledger.Reports;

public sealed partial class ReportReader
{
    /// <summary>The measure a basis is reconciled on when the question names none.</summary>
    public static string DefaultMeasure(FigureBasis basis) => basis == FigureBasis.Stock ? "srdi_enterprise_count" : "srdi_reward_total";

    /// <summary>
    /// A jurisdiction's year against a published figure (the one recorded as of the question's point, or one given):
    /// the ledger on both bases, the variance, the lines that tie determined to paid, and the award-level listing.
    /// </summary>
    public async Task<Reconciliation> ReconcileAsync(ReconcileQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var measureCode = query.Measure ?? DefaultMeasure(query.Basis);
        var measure = measures.Find(measureCode)
            ?? throw new DomainException("report.measure", $"measure: '{measureCode}' is not one of {string.Join(", ", measures.All.Select(m => m.Code))}.");
        var point = await PointAsync(query.AsOf, cancellationToken);
        var (published, lowerBound, source, quote) = await PublishedAsync(query, measureCode, point, cancellationToken);

        var listing = await ListingAsync(query, point, cancellationToken);
        var determined = Sum(listing, a => a.Determined);
        var paid = Sum(listing, a => a.NetPaid);
        decimal ledger;
        IReadOnlyList<ExplanationLine> explanation;
        switch (query.Basis)
        {
            case FigureBasis.Paid or FigureBasis.Determined:
                ledger = (query.Basis == FigureBasis.Paid ? paid : determined).Yuan;
                explanation = Explain(query.Year, listing, determined, paid);
                break;
            case FigureBasis.PaidCumulative:
                var years = await CumulativeAsync(query, point, cancellationToken);
                ledger = years.Aggregate(Money.Zero, (sum, y) => sum + y.Amount).Yuan;
                explanation = years;
                break;
            default:
                var stock = await StockAsync(query.Jurisdiction, query.Year, measure.Tiers, point, cancellationToken);
                ledger = stock;
                explanation = [new ExplanationLine("stock", $"distinct enterprises holding {string.Join(", ", measure.Tiers)} on {query.Year}-12-31", Money.Of(stock))];
                listing = [];
                break;
        }
        return new Reconciliation(query.Jurisdiction, DivisionName(query.Jurisdiction), query.Year, query.Basis, measureCode, query.Issuer, point,
            ledger, published, lowerBound, source, quote, paid, determined, explanation, listing);
    }

    private async Task<(decimal Value, bool LowerBound, string Source, string? Quote)> PublishedAsync(
        ReconcileQuery query, string measure, ReportPoint point, CancellationToken cancellationToken)
    {
        if (query.Published is { } given)
        {
            return (given, false, "given", null);
        }
        var figure = await store.AggregateStreamAsync(PublishedFigure.StreamIdFor(query.Jurisdiction, query.Year, measure, query.Basis),
            PublishedFigure.Initial, PublishedFigure.Fold, ReadLimit.AtPosition(point.Position), cancellationToken);
        var statement = figure.State.Statement ?? throw new DomainException("report.no-published-figure",
            $"published: no figure {measure} ({StoredName.Of(query.Basis)}) of {query.Jurisdiction} for {query.Year} is recorded; give one with --published or record it.");
        return (statement.Value, statement.LowerBound, statement.Source, statement.Quote);
    }

    /// <summary>
    /// Determined + the lines = paid, exactly: paid in the year for earlier years' awards (+); determined in the year but
    /// paid in a later year (−) or not paid, net of bank returns (−); cancellations and lowerings in the year of earlier
    /// awards (−); bank returns in the year of earlier years' awards (−); clawback repayments in the year (−). Beside them,
    /// not part of the sum: the returns on the year's own awards (inside "not paid") and clawbacks demanded.
    /// </summary>
    private static IReadOnlyList<ExplanationLine> Explain(int year, IReadOnlyList<AwardListingLine> awards, Money determined, Money paid)
    {
        var own = awards.Where(a => a.DeterminationDate.Year == year).ToList();
        var earlier = awards.Where(a => a.DeterminationDate.Year != year).ToList();
        var tying = new List<ExplanationLine>
        {
            new("paid-for-earlier-years", $"paid in {year} for awards determined before {year}", Sum(earlier, a => a.Paid)),
            new("determined-paid-later", $"determined in {year}, paid after {year}", -Sum(own, a => a.PaidLater)),
            new("determined-unpaid", $"determined in {year}, not paid (net of bank returns)", -Sum(own, a => a.Determined - a.Paid + a.Returned - a.PaidLater)),
            new("earlier-awards-reversed", $"cancellations and lowerings in {year} of awards determined before {year}", -Sum(earlier, a => a.Determined)),
            new("returned-earlier-years", $"returned by the bank in {year}, awards determined before {year}", -Sum(earlier, a => a.Returned)),
            new("clawback-repaid", $"clawbacks repaid in {year}", -Sum(awards, a => a.Repaid)),
        };
        var tied = tying.Aggregate(determined, (sum, line) => sum + line.Amount);
        if (tied != paid)
        {
            throw new InvalidOperationException($"reconciliation lines do not tie: {determined} + lines = {tied}, paid {paid}");
        }
        return
        [
            new("determined", $"determined in {year}", determined),
            .. tying,
            new("paid", $"paid in {year}, net of returns and repayments", paid),
            new("returned-this-year", $"of which returned by the bank in {year}, awards determined in {year} (inside \"not paid\")", Sum(own, a => a.Returned)),
            new("clawback-demanded", $"clawbacks demanded in {year} (no cash moved by the demand)", Sum(awards, a => a.ClawedBack)),
        ];
    }

    /// <summary>
    /// Every award with a movement in the year (or determined in it and paid later), with its amounts in the year and
    /// the events of those movements, for the enterprises in the jurisdiction's subtree (and the issuer's, if given).
    /// </summary>
    private async Task<IReadOnlyList<AwardListingLine>> ListingAsync(ReconcileQuery query, ReportPoint point, CancellationToken cancellationToken)
    {
        var counties = Divisions(query.Jurisdiction);
        var issuers = query.Issuer is { } issuer ? Divisions(issuer) : null;
        var movements = new List<(Guid Award, AwardListingLine Head, MovementProof Proof, int FiscalYear)>();
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT m.award_id, m.enterprise_id, coalesce(en.uscc, ''), coalesce(en.name, ''), m.county_code, m.tier, m.issuer_code, " +
            "a.determination_date, m.measure, m.level, m.business_date, m.amount, m.fiscal_year, m.event_id, e.seq_id, c.position, c.chained_at " +
            $"FROM award_movements m JOIN awards a ON a.award_id = m.award_id LEFT JOIN enterprises en ON en.enterprise_id = m.enterprise_id {AsOfJoin("m")} " +
            "WHERE m.county_code = ANY($2) AND ($3::text[] IS NULL OR m.issuer_code = ANY($3)) AND c.position <= $4 AND " +
            "(m.fiscal_year = $1 OR (m.measure = 'paid' AND m.fiscal_year > $1 AND a.determination_date >= make_date($1, 1, 1) AND a.determination_date <= make_date($1, 12, 31))) " +
            "ORDER BY m.award_id, c.position",
            query.Year, counties, issuers, point.Position);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var head = new AwardListingLine(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), Sql.ToLocalDate(reader.GetFieldValue<DateOnly>(7)),
                Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero, []);
            var proof = new MovementProof(reader.GetString(8), reader.GetString(9), Sql.ToLocalDate(reader.GetFieldValue<DateOnly>(10)),
                Money.Of(reader.GetDecimal(11)), Proof(reader, 13));
            movements.Add((head.AwardId, head, proof, reader.GetInt32(12)));
        }
        return [.. movements.GroupBy(m => m.Award).Select(g =>
        {
            var inYear = g.Where(m => m.FiscalYear == query.Year).Select(m => m.Proof).ToList();
            Money Of(string measure) => Sum(inYear.Where(p => p.Measure == measure), p => p.Amount);
            return g.First().Head with
            {
                Determined = Of(MovementMeasure.Determined),
                Paid = Of(MovementMeasure.Paid),
                Returned = Of(MovementMeasure.Returned),
                Repaid = Of(MovementMeasure.Repaid),
                ClawedBack = Of(MovementMeasure.ClawedBack),
                PaidLater = Sum(g.Where(m => m.FiscalYear > query.Year), m => m.Proof.Amount),
                Events = [.. g.Select(m => m.Proof).Where(p => p.Measure != MovementMeasure.Reserved)],
            };
        }).OrderBy(a => a.CountyCode, StringComparer.Ordinal).ThenBy(a => a.Uscc, StringComparer.Ordinal).ThenBy(a => a.DeterminationDate)];
    }

    /// <summary>Net paid per year from the first year the ledger holds to the year asked, one line per year.</summary>
    private async Task<IReadOnlyList<ExplanationLine>> CumulativeAsync(ReconcileQuery query, ReportPoint point, CancellationToken cancellationToken)
    {
        var counties = Divisions(query.Jurisdiction);
        var issuers = query.Issuer is { } issuer ? Divisions(issuer) : null;
        var lines = new List<ExplanationLine>();
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT m.fiscal_year, coalesce(sum(m.amount) FILTER (WHERE m.measure = 'paid'), 0) - coalesce(sum(m.amount) FILTER (WHERE m.measure IN ('returned', 'repaid')), 0) " +
            $"FROM award_movements m {AsOfJoin("m")} WHERE m.county_code = ANY($2) AND ($3::text[] IS NULL OR m.issuer_code = ANY($3)) AND c.position <= $4 " +
            "AND m.fiscal_year <= $1 AND m.measure IN ('paid', 'returned', 'repaid') GROUP BY m.fiscal_year ORDER BY m.fiscal_year",
            query.Year, counties, issuers, point.Position);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new ExplanationLine("paid-in-year", $"paid in {reader.GetInt32(0)}, net", Money.Of(reader.GetDecimal(1))));
        }
        return lines;
    }

    /// <summary>Distinct enterprises in the subtree holding a designation of one of the tiers, valid and not revoked, on 31 December.</summary>
    public async Task<int> StockAsync(string jurisdiction, int year, IReadOnlyList<string> tiers, ReportPoint point, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection,
            "WITH d AS (SELECT h.designation_id, h.enterprise_id, " +
            "min(h.business_date) FILTER (WHERE h.kind IN ('designation-recognized', 'renewal-imported-without-base')) AS recognized_on, " +
            "max(h.valid_to) FILTER (WHERE h.kind IN ('designation-recognized', 'renewal-reviewed', 'renewal-imported-without-base')) AS valid_to, " +
            "min(h.business_date) FILTER (WHERE h.kind = 'designation-revoked') AS revoked_on " +
            $"FROM award_history h {AsOfJoin("h")} WHERE h.county_code = ANY($2) AND h.tier = ANY($3) AND h.designation_id IS NOT NULL " +
            "AND h.award_id IS NULL AND c.position <= $4 GROUP BY h.designation_id, h.enterprise_id) " +
            "SELECT count(DISTINCT enterprise_id) FROM d WHERE recognized_on <= make_date($1, 12, 31) AND valid_to >= make_date($1, 12, 31) " +
            "AND (revoked_on IS NULL OR revoked_on > make_date($1, 12, 31))",
            year, Divisions(jurisdiction), tiers.ToArray(), point.Position);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static Money Sum<T>(IEnumerable<T> items, Func<T, Money> amount) => items.Aggregate(Money.Zero, (sum, i) => sum + amount(i));
}
