using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Disbursements;
using Ledger.ReadModels;
using NodaTime;

namespace Ledger.Reports;

/// <summary>The measures of the annual totals, as stored in <c>award_movements.measure</c>.</summary>
public static class MovementMeasure
{
    public const string Determined = "determined";
    public const string Reserved = "reserved";
    public const string Paid = "paid";
    public const string Returned = "returned";
    public const string ClawedBack = "clawed_back";
    public const string Repaid = "repaid";
}

/// <summary>
/// Keeps <c>award_movements</c> (append-only: every change of an award's money, by measure, funding level and fiscal
/// year, with the event that made it) and <c>annual_totals</c> (the same amounts summed by atomic increments per year ×
/// county × tier × level × issuer). County, tier and issuer are the award's; years follow business dates (docs/reports.md):
/// determination by determination date, its later cancellation or lowering in the year it happened; reservations in
/// the year of the line they reserve on; payments by value date; returns and repayments in the year they happened.
/// </summary>
public sealed class MovementProjection : IReadProjection
{
    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.AwardMovements, ReadTables.AnnualTotals];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case AwardDetermined e:
                foreach (var share in e.Funding)
                {
                    var award = new AwardKeys(e.AwardId, e.EnterpriseId, e.CountyCode, e.Rule.Tier,
                        new Lookup(ReadTables.Policies, e.PolicyId, "issuer_code"));
                    Move(writer, @event.Id, MovementMeasure.Determined, share.Level, award, e.DeterminationDate.Year, e.DeterminationDate, share.Amount);
                }
                break;
            case AwardRedetermined e:
                var before = FundingSplit.Apportion(e.PreviousAmount, e.Funding);
                foreach (var (after, was) in e.Funding.Zip(before))
                {
                    var on = e.EffectiveOn;
                    Move(writer, @event.Id, MovementMeasure.Determined, after.Level, AwardKeys.Of(e.AwardId), on.Year, on, after.Amount - was.Amount);
                }
                break;
            case AwardCancelled e:
                foreach (var unpaid in e.Cancelled)
                {
                    var on = ChinaTime.DateOf(e.CancelledAt);
                    Move(writer, @event.Id, MovementMeasure.Determined, unpaid.Level, AwardKeys.Of(e.AwardId), on.Year, on, Money.Zero - unpaid.Amount);
                }
                break;
            case BudgetReserved e:
                Move(writer, @event.Id, MovementMeasure.Reserved, e.Line.Level, AwardKeys.Of(e.AwardId), e.Line.FiscalYear, ChinaTime.DateOf(e.ReservedAt), e.Amount);
                break;
            case BudgetReservationReleased e:
                Move(writer, @event.Id, MovementMeasure.Reserved, e.Line.Level, AwardKeys.Of(e.AwardId), e.Line.FiscalYear, ChinaTime.DateOf(e.ReleasedAt),
                    Money.Zero - e.Amount);
                break;
            case BudgetPaid e:
                Move(writer, @event.Id, MovementMeasure.Reserved, e.Line.Level, AwardKeys.Of(e.AwardId), e.Line.FiscalYear, e.ValueDate, Money.Zero - e.Amount);
                break;
            case DisbursementPaid e:
                // Reported in the county the enterprise was in on the value date (an older event without it: the award's).
                Move(writer, @event.Id, MovementMeasure.Paid, new Lookup(ReadTables.Disbursements, e.DisbursementId, "level"),
                    AwardKeys.Of(e.AwardId) with { County = (object?)e.CountyCode ?? new Lookup(ReadTables.Awards, e.AwardId, "county_code") },
                    e.ValueDate.Year, e.ValueDate, e.Amount);
                break;
            case DisbursementReturned e:
                // A return goes back where its payment was reported.
                Move(writer, @event.Id, MovementMeasure.Returned, new Lookup(ReadTables.Disbursements, e.DisbursementId, "level"),
                    AwardKeys.Of(e.AwardId) with { County = new Lookup(ReadTables.Disbursements, e.DisbursementId, "paid_county_code") },
                    e.ReturnedOn.Year, e.ReturnedOn, e.Amount);
                break;
            case ClawbackDemanded e:
                var demanded = e.EffectiveOn;
                Move(writer, @event.Id, MovementMeasure.ClawedBack, e.Level, AwardKeys.Of(e.AwardId), demanded.Year, demanded, e.Amount);
                break;
            case BudgetClawbackCredited e:
                Move(writer, @event.Id, MovementMeasure.Repaid, e.Line.Level, AwardKeys.Of(e.AwardId), e.ValueDate.Year, e.ValueDate, e.Amount);
                break;
        }
    }

    /// <summary>The award's attributes a movement is reported by: carried by the determining event, looked up from <c>awards</c> after it.</summary>
    private sealed record AwardKeys(Guid Award, object Enterprise, object County, object Tier, object Issuer)
    {
        public static AwardKeys Of(Guid award) => new(award,
            new Lookup(ReadTables.Awards, award, "enterprise_id"), new Lookup(ReadTables.Awards, award, "county_code"),
            new Lookup(ReadTables.Awards, award, "tier"), new Lookup(ReadTables.Awards, award, "issuer_code"));
    }

    private static void Move(
        IReadModelWriter writer, Guid eventId, string measure, Policies.FundingLevel level, AwardKeys award, int year, LocalDate on, Money amount) =>
        Move(writer, eventId, measure, BudgetLineKey.LevelName(level), award, year, on, amount);

    /// <param name="levelName">The funding level's stored name, or a <see cref="Lookup"/> of it.</param>
    private static void Move(
        IReadModelWriter writer, Guid eventId, string measure, object levelName, AwardKeys award, int year, LocalDate on, Money amount)
    {
        if (amount == Money.Zero)
        {
            return;
        }
        writer.Insert(ReadTables.AwardMovements,
            eventId, measure, levelName, award.Award, award.Enterprise, award.County, award.Tier, award.Issuer, year, Sql.Date(on), amount.Yuan);
        writer.Add(ReadTables.AnnualTotals, [year, award.County, award.Tier, levelName, award.Issuer], new Delta(measure, amount.Yuan));
    }
}
