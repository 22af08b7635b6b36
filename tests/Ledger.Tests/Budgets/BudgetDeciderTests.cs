using Ledger.Budgets;
using Ledger.Policies;
using Ledger.Tests.Support;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Budgets;

public class BudgetDeciderTests
{
    private static readonly Guid SomeAward = new("aaaaaaaa-0000-4000-8000-000000000001");

    private static BudgetAppropriated Appropriate(History h, BudgetLineKey line, decimal amount) =>
        BudgetDecider.Decide(new AppropriateBudget(line, amount, "admin", Now), h.Line(line), Data);

    private static BudgetAdjusted Adjust(History h, BudgetLineKey line, decimal delta, string reason = "年中追加") =>
        BudgetDecider.Decide(new AdjustBudget(line, delta, reason, "admin", Now), h.Line(line));

    [Fact]
    public void Budget_line_stream_is_named_by_division_year_and_level()
    {
        BudgetLineKey.StreamId(HaiyanCounty2024).ShouldBe(DeterministicGuid.Create("budget:330424:2024:county"));
        HaiyanCounty2024.ToString().ShouldBe("330424/2024/county");
    }

    [Fact]
    public void Appropriation_opens_the_line() =>
        Spec.Given()
            .When(h => Appropriate(h, HaiyanCounty2024, 3_000_000m))
            .Then(new BudgetAppropriated(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, Money.Of(3_000_000m), "admin", Now));

    [Fact]
    public void Line_is_appropriated_once_and_changed_by_adjustments() =>
        Spec.Given(Appropriated(HaiyanCounty2024, 3_000_000m))
            .When(h => Appropriate(h, HaiyanCounty2024, 1_000_000m))
            .ThenFails("budget.already-appropriated")
            .Message.ShouldContain("change it with an adjustment and a reason");

    [Fact]
    public void Division_must_sit_at_the_line_level() =>
        Spec.Given()
            .When(h => Appropriate(h, new BudgetLineKey(Haiyan, 2024, FundingLevel.City), 1_000_000m))
            .ThenFails("budget.level-mismatch")
            .Message.ShouldContain("330424 (海盐县) is a county-level division and cannot hold a city budget");

    [Fact]
    public void Unknown_division_is_refused() =>
        Spec.Given()
            .When(h => Appropriate(h, new BudgetLineKey("330499", 2024, FundingLevel.County), 1_000_000m))
            .ThenFails("budget.unknown-division");

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Appropriation_must_be_positive(decimal amount) =>
        Spec.Given()
            .When(h => Appropriate(h, HaiyanCounty2024, amount))
            .ThenFails("budget.amount-not-positive");

    [Fact]
    public void Appropriation_with_more_than_two_decimals_is_refused() =>
        Spec.Given()
            .When(h => Appropriate(h, HaiyanCounty2024, 0.001m))
            .ThenFails("money.precision");

    [Fact]
    public void Adjustment_raises_or_cuts_the_line_with_a_reason()
    {
        Spec.Given(Appropriated(HaiyanCounty2024, 3_000_000m))
            .When(h => Adjust(h, HaiyanCounty2024, 500_000m))
            .Then(new BudgetAdjusted(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, Money.Of(500_000m), "年中追加", "admin", Now));
        Spec.Given(Appropriated(HaiyanCounty2024, 3_000_000m))
            .When(h => Adjust(h, HaiyanCounty2024, -500_000m, "预算调减"))
            .ThenSingle<BudgetAdjusted>().Delta.ShouldBe(Money.Of(-500_000m));
    }

    [Fact]
    public void Adjustment_needs_a_reason() =>
        Spec.Given(Appropriated(HaiyanCounty2024, 3_000_000m))
            .When(h => Adjust(h, HaiyanCounty2024, 1000m, ""))
            .ThenFails("budget.field-required");

    [Fact]
    public void Adjustment_of_zero_is_refused() =>
        Spec.Given(Appropriated(HaiyanCounty2024, 3_000_000m))
            .When(h => Adjust(h, HaiyanCounty2024, 0m))
            .ThenFails("budget.adjustment-zero");

    [Fact]
    public void Line_without_appropriation_cannot_be_adjusted() =>
        Spec.Given()
            .When(h => Adjust(h, HaiyanCounty2024, 1000m))
            .ThenFails("budget.not-appropriated");

    [Fact]
    public void Adjustment_never_takes_the_line_below_what_is_reserved_and_paid()
    {
        // 100,000 appropriated, 30,000 reserved and 50,000 paid: 20,000 is all a cut may take.
        var committed = Spec.Given(
            Appropriated(HaiyanCounty2024, 100000m),
            new BudgetReserved(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, SomeAward, Money.Of(30000m), ApproverWang, Now),
            new BudgetReserved(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D2, SomeAward, Money.Of(50000m), ApproverWang, Now),
            new BudgetPaid(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D2, SomeAward, Money.Of(50000m), D(2024, 11, 1), Clerk, Now));
        committed.When(h => Adjust(h, HaiyanCounty2024, -20000.01m, "调减"))
            .ThenFails("budget.below-committed")
            .Message.ShouldBe(
                "delta: a cut of 20000.01 would take budget line 330424/2024/county below what it has reserved (30000.00) and paid (50000.00); it has 20000.00 available, so it can be cut by at most 20000.00.");
        committed.When(h => Adjust(h, HaiyanCounty2024, -20000m, "调减"))
            .ThenSingle<BudgetAdjusted>();
    }

    [Fact]
    public void Available_is_appropriated_plus_adjustments_minus_reserved_and_paid_plus_returned_and_repaid()
    {
        var line = HaiyanCounty2024;
        var id = BudgetLineKey.StreamId(line);
        var h = new History([
            Appropriated(line, 1_000_000m),
            new BudgetAdjusted(id, line, Money.Of(200_000m), "追加", "admin", Now),
            new BudgetAdjusted(id, line, Money.Of(-50_000m), "调减", "admin", Now),
            new BudgetReserved(id, line, D1, SomeAward, Money.Of(300_000m), ApproverWang, Now),
            new BudgetReserved(id, line, D2, SomeAward, Money.Of(100_000m), ApproverWang, Now),
            new BudgetReserved(id, line, D3, SomeAward, Money.Of(40_000m), ApproverWang, Now),
            new BudgetPaid(id, line, D1, SomeAward, Money.Of(300_000m), D(2024, 11, 1), Clerk, Now),
            new BudgetReservationReleased(id, line, D3, SomeAward, Money.Of(40_000m), ReleaseReason.Rejected, ApproverWang, Now),
            new BudgetReturned(id, line, Guid.NewGuid(), SomeAward, Money.Of(25_000m), D(2024, 11, 2), Clerk, Now),
            new BudgetClawbackCredited(id, line, C1, SomeAward, Money.Of(10_000m), D(2024, 11, 3), Clerk, Now),
        ]);
        h.Line(line).ShouldSatisfyAllConditions(
            l => l.Appropriated.ShouldBe(Money.Of(1_000_000m)),
            l => l.Adjustments.ShouldBe(Money.Of(150_000m)),
            l => l.Reserved.ShouldBe(Money.Of(100_000m)),
            l => l.Paid.ShouldBe(Money.Of(300_000m)),
            l => l.Returned.ShouldBe(Money.Of(25_000m)),
            l => l.Repaid.ShouldBe(Money.Of(10_000m)),
            l => l.Available.ShouldBe(Money.Of(785_000m)),
            l => l.Reservations.Keys.ShouldBe([D2]),
            l => l.StreamVersion.ShouldBe(10));
    }

    [Fact]
    public void Line_never_appropriated_still_takes_money_that_comes_back()
    {
        var h = new History([
            new BudgetReturned(BudgetLineKey.StreamId(HaiyanCounty2025), HaiyanCounty2025, D1, SomeAward, Money.Of(25_000m), D(2025, 1, 6), Clerk, Now),
        ]);
        h.Line(HaiyanCounty2025).ShouldSatisfyAllConditions(
            l => l.IsAppropriated.ShouldBeFalse(),
            l => l.Available.ShouldBe(Money.Of(25_000m)));
    }

    [Fact]
    public void Event_of_another_line_is_not_folded()
    {
        var other = Appropriated(HaiyanCounty2025, 1m);
        Should.Throw<ArgumentException>(() => BudgetLine.Evolve(BudgetLine.Initial(HaiyanCounty2024), other));
    }
}
