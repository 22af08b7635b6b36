using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Disbursements;
using Ledger.Policies;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Clawbacks;

public class ClawbackDeciderTests
{
    private static readonly AwardDetermined Award = LittleGiantAward;
    private static readonly Guid AwardId = LittleGiantAward.AwardId;

    /// <summary>300,000 paid from the city share, 200,000 from the county share (paid 2024-10-20).</summary>
    private static object[] PaidHistory =>
    [
        .. Basics,
        .. PaidTranche(Award, D1, 300000m, FundingLevel.City, D(2024, 10, 20)),
        .. PaidTranche(Award, D2, 200000m, FundingLevel.County, D(2024, 10, 20)),
    ];

    private static Scenario Paid() => Spec.Given(PaidHistory);

    private static Decision Demand(History h, Guid id, FundingLevel level, decimal amount, Instant? at = null) =>
        ClawbackDecider.Decide(new DemandClawback(AwardId, id, level, amount, "申报数据造假", "admin", at ?? Now), h.Account(AwardId));

    private static Decision Repay(History h, Guid id, decimal amount, LocalDate valueDate, Instant? at = null) =>
        ClawbackDecider.Decide(new RecordClawbackRepayment(AwardId, id, amount, valueDate, "JK2024-0001", Clerk, at ?? Now), h.Account(AwardId));

    private static ClawbackDemanded Demanded(Guid id, FundingLevel level, decimal amount) =>
        new(AwardId, id, level, LineOf(Award, level).DivisionCode, Money.Of(amount), "申报数据造假", "admin", Now);

    [Fact]
    public void Clawback_names_the_level_and_division_it_goes_back_to() =>
        Paid()
            .When(h => Demand(h, C1, FundingLevel.City, 300000m))
            .Then(new ClawbackDemanded(AwardId, C1, FundingLevel.City, TestReference.Jiaxing, Money.Of(300000m), "申报数据造假", "admin", Now));

    [Fact]
    public void Clawback_is_at_most_what_was_paid_from_the_level() =>
        Paid()
            .When(h => Demand(h, C1, FundingLevel.County, 200000.01m))
            .ThenFails("clawback.exceeds-paid")
            .Message.ShouldContain("200000.00 paid and not returned, of which 0.00 already demanded by earlier clawbacks, leaves at most 200000.00");

    [Fact]
    public void Clawback_is_net_of_earlier_clawbacks()
    {
        var once = Paid().And(Demanded(C1, FundingLevel.City, 250000m));
        once.When(h => Demand(h, C2, FundingLevel.City, 50000.01m))
            .ThenFails("clawback.exceeds-paid")
            .Message.ShouldContain("leaves at most 50000.00");
        once.When(h => Demand(h, C2, FundingLevel.City, 50000m))
            .ThenSingle<ClawbackDemanded>();
    }

    [Fact]
    public void Clawback_is_net_of_bank_returns() =>
        Paid()
            .And(new DisbursementReturned(AwardId, D2, Money.Of(200000m), D(2024, 10, 25), "账户已销户", Clerk, Now))
            .When(h => Demand(h, C1, FundingLevel.County, 0.01m))
            .ThenFails("clawback.exceeds-paid");

    [Fact]
    public void Nothing_paid_means_nothing_to_claw_back() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .When(h => ClawbackDecider.Decide(
                new DemandClawback(HiddenChampionAward.AwardId, C1, FundingLevel.City, 1000m, "撤销", "admin", Now), h.Account(HiddenChampionAward.AwardId)))
            .ThenFails("clawback.exceeds-paid");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Clawback_amount_must_be_positive(decimal amount) =>
        Paid().When(h => Demand(h, C1, FundingLevel.City, amount)).ThenFails("clawback.amount-not-positive");

    [Fact]
    public void Clawback_may_be_demanded_on_a_cancelled_award() =>
        Paid()
            .And(new AwardCancelled(AwardId, "撤销", Money.Of(500000m), Money.Of(1_000_000m),
                Unpaid.Of(Award, (FundingLevel.City, 300000m), (FundingLevel.County, 200000m)), "admin", Now))
            .When(h => Demand(h, C1, FundingLevel.City, 300000m))
            .ThenSingle<ClawbackDemanded>();

    [Fact]
    public void Repayments_may_be_partial_until_the_clawback_is_settled()
    {
        var demanded = Paid().And(Demanded(C1, FundingLevel.City, 300000m));
        var partly = demanded.When(h => Repay(h, C1, 100000m, D(2024, 11, 2)));
        partly.Then(
            new ClawbackRepaid(AwardId, C1, Money.Of(100000m), D(2024, 11, 2), "JK2024-0001", Clerk, Now),
            new BudgetClawbackCredited(BudgetLineKey.StreamId(JiaxingCity2024), JiaxingCity2024, C1, AwardId, Money.Of(100000m), D(2024, 11, 2), Clerk, Now));
        var settled = demanded.And([.. partly.Events()]).And(
            new ClawbackRepaid(AwardId, C1, Money.Of(200000m), D(2024, 11, 3), "JK2024-0002", Clerk, Now));
        settled
            .When(h =>
            {
                h.Account(AwardId).Clawbacks[C1].ShouldSatisfyAllConditions(c => c.IsSettled.ShouldBeTrue(), c => c.Repayments.Count.ShouldBe(2));
                return Repay(h, C1, 0.01m, D(2024, 11, 4));
            })
            .ThenFails("clawback.settled");
    }

    [Fact]
    public void Over_repayment_is_refused_and_names_what_is_outstanding() =>
        Paid()
            .And(Demanded(C1, FundingLevel.City, 300000m), new ClawbackRepaid(AwardId, C1, Money.Of(120000m), D(2024, 11, 2), "JK-1", Clerk, Now))
            .When(h => Repay(h, C1, 180000.01m, D(2024, 11, 3)))
            .ThenFails("clawback.over-repayment")
            .Message.ShouldContain("is more than the 180000.00 still outstanding on clawback");

    [Fact]
    public void Repayment_credits_the_line_of_the_same_division_and_level_in_the_year_of_the_repayment()
    {
        var decision = ClawbackDecider.Decide(
            new RecordClawbackRepayment(AwardId, C1, 50000m, D(2025, 3, 3), "JK2025-0007", Clerk, On(3, 3, 2025)),
            new History([.. PaidHistory, Demanded(C1, FundingLevel.County, 200000m)]).Account(AwardId));
        var (line, credited) = decision.BudgetEvents.ShouldHaveSingleItem();
        line.ShouldBe(HaiyanCounty2025);
        credited.ShouldBe(new BudgetClawbackCredited(
            BudgetLineKey.StreamId(HaiyanCounty2025), HaiyanCounty2025, C1, AwardId, Money.Of(50000m), D(2025, 3, 3), Clerk, On(3, 3, 2025)));
    }

    [Fact]
    public void Repayment_value_date_after_the_day_of_recording_is_refused() =>
        Paid()
            .And(Demanded(C1, FundingLevel.City, 300000m))
            .When(h => Repay(h, C1, 1000m, D(2024, 11, 5)))
            .ThenFails("clawback.date-in-future");

    [Fact]
    public void Repayment_of_an_unknown_clawback_is_refused() =>
        Paid().When(h => Repay(h, C1, 1000m, D(2024, 11, 2))).ThenFails("clawback.not-found");

    [Fact]
    public void Demand_all_claws_back_every_level_paid_and_not_yet_demanded()
    {
        var decision = ClawbackDecider.DemandAll(
            new History([.. PaidHistory, Demanded(C1, FundingLevel.City, 100000m)]).Account(AwardId), "撤销认定", "admin", Now);
        decision.AwardEvents.Cast<ClawbackDemanded>().Select(c => (c.Level, c.Amount)).ShouldBe([
            (FundingLevel.City, Money.Of(200000m)),
            (FundingLevel.County, Money.Of(200000m)),
        ]);
        decision.BudgetEvents.ShouldBeEmpty();
    }
}
