using Ledger.Budgets;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Reference;
using Ledger.Tests.Support;
using static Ledger.Tests.Awards.AwardFixtures;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Disbursements;

/// <summary>
/// The treasury does not settle on non-working days (weekends and State Council holidays; make-up working days count as
/// working): a live payment dated on one is refused naming the working days around it, an imported one is recorded
/// with a warning. A payment carries the county the enterprise was in on its value date.
/// </summary>
public class ValueDateTests
{
    private static readonly Guid Award = HiddenChampionAward.AwardId;
    private const string Batch = "treasury-2024";

    private static Scenario Approved() =>
        Spec.Given(Basics).And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County));

    [Fact]
    public void A_live_payment_dated_on_a_Saturday_is_refused_naming_the_previous_and_next_working_days() =>
        Approved()
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 11, 2)))
            .ThenFails("disbursement.value-date-not-working-day")
            .Message.ShouldBe("valueDate: 2024-11-02 is not a working day (Saturday) and the treasury does not settle on one; the previous working day is 2024-11-01 and the next is 2024-11-04. Check the date on the treasury voucher.");

    [Fact]
    public void A_live_payment_dated_on_National_Day_is_refused_naming_the_working_days_around_the_holiday() =>
        Approved()
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 10, 1)))
            .ThenFails("disbursement.value-date-not-working-day")
            .Message.ShouldContain("2024-10-01 is not a working day (国庆节) and the treasury does not settle on one; the previous working day is 2024-09-30 and the next is 2024-10-08.");

    [Theory]
    [InlineData(9, 29)]
    [InlineData(10, 12)]
    public void A_live_payment_on_a_make_up_working_weekend_day_is_accepted(int month, int day) =>
        Approved()
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, month, day)))
            .Events().OfType<DisbursementPaid>().ShouldHaveSingleItem().ValueDate.ShouldBe(D(2024, month, day));

    [Fact]
    public void An_imported_payment_on_a_holiday_is_recorded_with_a_warning_naming_its_batch_and_user() =>
        Approved()
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 10, 1), historical: new HistoricalImport(Batch)))
            .Then(
                new DisbursementPaid(Award, D1, Money.Of(100000m), "GK2024-0001", D(2024, 10, 1), Haiyan, Batch,
                    [new SkippedRule(ImportRule.ValueDateWorkingDay, Batch, Clerk,
                        $"payment of disbursement 1 of award {Award} (voucher GK2024-0001): value date 2024-10-01 is not a working day (国庆节); the previous working day is 2024-09-30 and the next is 2024-10-08")],
                    Clerk, Now),
                new BudgetPaid(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, Award, Money.Of(100000m), D(2024, 10, 1), Clerk, Now));

    [Fact]
    public void An_imported_payment_on_a_working_day_names_its_batch_and_warns_of_nothing() =>
        Approved()
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 10, 8), historical: new HistoricalImport(Batch)))
            .Events().OfType<DisbursementPaid>().ShouldHaveSingleItem()
            .ShouldSatisfyAllConditions(p => p.ImportBatch.ShouldBe(Batch), p => p.SkippedRules.ShouldBeEmpty());

    [Fact]
    public void An_imported_payment_in_a_year_the_holiday_table_lacks_is_recorded_as_unchecked_and_a_live_one_is_refused()
    {
        var only2023 = new WorkingDayCalendar([], coveredYears: [2023]);
        Decision PayWith(History h, HistoricalImport? historical) => DisbursementDecider.Decide(
            new RecordDisbursementPayment(Award, D1, "GK2024-0001", D(2024, 10, 8), Clerk, Now, historical),
            h.Account(Award), h.Designation(HiddenChampionAward.DesignationId), h.Enterprise(EnterpriseA), only2023);

        Approved().When(h => PayWith(h, new HistoricalImport(Batch)))
            .Events().OfType<DisbursementPaid>().Single().SkippedRules.ShouldHaveSingleItem().Detail
            .ShouldEndWith("value date 2024-10-08 could not be checked: the holiday table has no schedule for 2024");
        Approved().When(h => PayWith(h, null)).ThenFails("calendar.year-not-covered");
    }

    [Fact]
    public void An_imported_payment_without_a_batch_is_refused() =>
        Approved()
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 10, 8), historical: new HistoricalImport("")))
            .ThenFails("disbursement.field-required")
            .Message.ShouldContain("historical.importBatch");

    [Fact]
    public void A_payment_carries_the_county_of_its_value_date_and_is_still_charged_to_the_awards_line()
    {
        var moved = new EnterpriseRelocated(EnterpriseA, Haiyan, Nanhu, D(2024, 10, 15), "海盐县市场监管局变更登记", [], null, Clerk, At);

        var events = Approved().And(moved)
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 11, 1)))
            .Events();

        events.OfType<DisbursementPaid>().Single().CountyCode.ShouldBe(Nanhu);
        events.OfType<BudgetPaid>().Single().Line.ShouldBe(HaiyanCounty2024);
    }

    [Fact]
    public void The_calendar_names_the_working_days_around_a_date_and_stops_at_the_end_of_its_table()
    {
        var calendar = Calendar;
        calendar.PreviousWorkingDay(D(2024, 10, 1)).ShouldBe(D(2024, 9, 30));
        calendar.NextWorkingDay(D(2024, 10, 1)).ShouldBe(D(2024, 10, 8));
        calendar.NextWorkingDay(D(2024, 9, 28)).ShouldBe(D(2024, 9, 29));
        calendar.NextWorkingDay(D(2026, 12, 31)).ShouldBeNull();
        calendar.NonWorkingReason(D(2024, 10, 1)).ShouldBe("国庆节");
        calendar.NonWorkingReason(D(2024, 11, 2)).ShouldBe("Saturday");
    }
}
