using Ledger.Awards;
using Ledger.Policies;
using Ledger.Tests.Support;
using static Ledger.Tests.Awards.AwardFixtures;
using static Ledger.Tests.Policies.TestPolicies;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Awards;

public class AwardDeciderTests
{
    private static readonly AwardDetermined UpTo = Determined(Recognition(Provincial, D(2022, 6, 1)), XishanIssued);
    private static readonly AwardDetermined Fixed = Determined(Recognition(LittleGiant, D(2023, 7, 14), Haiyan), JiaxingIssued);

    private static RedetermineAward Lower(decimal to, string reason = "研发投入核减") => new(UpTo.AwardId, Money.Of(to), reason, "clerk", At);

    [Fact]
    public void Up_to_award_is_redetermined_lower_with_a_reason() =>
        Spec.Given(UpTo)
            .When(h => AwardDecider.Decide(Lower(250000m), h.Award(UpTo.AwardId), paid: Money.Of(100000m)))
            .Then(new AwardRedetermined(
                UpTo.AwardId, Money.Of(300000m), Money.Of(250000m), Money.Of(100000m),
                [new FundingAmount(FundingLevel.County, "320205", 100m, Money.Of(250000m))],
                "研发投入核减", "clerk", At));

    [Theory]
    [InlineData(300000)]
    [InlineData(350000)]
    public void Redetermination_to_the_same_or_a_higher_amount_is_refused(int amount) =>
        Spec.Given(UpTo)
            .When(h => AwardDecider.Decide(Lower(amount), h.Award(UpTo.AwardId), Money.Zero))
            .ThenFails("award.redetermine-not-lower")
            .Message.ShouldContain("can only be re-determined lower");

    [Fact]
    public void Redetermination_above_an_earlier_lower_amount_is_refused() =>
        Spec.Given(UpTo, new AwardRedetermined(UpTo.AwardId, UpTo.Amount, Money.Of(200000m), Money.Zero, UpTo.Funding, "核减", "clerk", At))
            .When(h => AwardDecider.Decide(Lower(250000m), h.Award(UpTo.AwardId), Money.Zero))
            .ThenFails("award.redetermine-not-lower");

    [Fact]
    public void Redetermination_below_the_amount_paid_is_refused() =>
        Spec.Given(UpTo)
            .When(h => AwardDecider.Decide(Lower(100000m), h.Award(UpTo.AwardId), paid: Money.Of(150000m)))
            .ThenFails("award.below-paid")
            .Message.ShouldContain("below the 150000.00 already paid");

    [Fact]
    public void Redetermination_needs_a_reason() =>
        Spec.Given(UpTo)
            .When(h => AwardDecider.Decide(Lower(250000m, reason: " "), h.Award(UpTo.AwardId), Money.Zero))
            .ThenFails("award.field-required");

    [Fact]
    public void Redetermination_to_zero_is_refused_in_favour_of_cancellation() =>
        Spec.Given(UpTo)
            .When(h => AwardDecider.Decide(Lower(0m), h.Award(UpTo.AwardId), Money.Zero))
            .ThenFails("award.amount-not-positive");

    [Fact]
    public void Fixed_award_cannot_be_redetermined() =>
        Spec.Given(Fixed)
            .When(h => AwardDecider.Decide(new RedetermineAward(Fixed.AwardId, Money.Of(1000000m), "核减", "clerk", At), h.Award(Fixed.AwardId), Money.Zero))
            .ThenFails("award.fixed-amount");

    [Fact]
    public void Cancellation_cancels_the_unpaid_part() =>
        Spec.Given(UpTo)
            .When(h => AwardDecider.Decide(new CancelAward(UpTo.AwardId, "认定被撤销", "clerk", At), h.Award(UpTo.AwardId), paidNet: _ => Money.Of(100000m)))
            .Then(new AwardCancelled(UpTo.AwardId, "认定被撤销", Money.Of(100000m), Money.Of(200000m),
                Unpaid.Of(UpTo, (UpTo.Funding.Single().Level, 100000m)), "clerk", At));

    [Fact]
    public void Cancelled_award_can_be_neither_cancelled_nor_redetermined()
    {
        var cancelled = new AwardCancelled(UpTo.AwardId, "认定被撤销", Money.Zero, UpTo.Amount, Unpaid.Of(UpTo), "clerk", At);
        Spec.Given(UpTo, cancelled)
            .When(h => AwardDecider.Decide(new CancelAward(UpTo.AwardId, "again", "clerk", At), h.Award(UpTo.AwardId), _ => Money.Zero))
            .ThenFails("award.illegal-transition")
            .Message.ShouldContain("is cancelled");
        Spec.Given(UpTo, cancelled)
            .When(h => AwardDecider.Decide(Lower(100000m), h.Award(UpTo.AwardId), Money.Zero))
            .ThenFails("award.illegal-transition");
    }

    [Fact]
    public void Award_never_determined_cannot_be_cancelled() =>
        Spec.Given()
            .When(h => AwardDecider.Decide(new CancelAward(UpTo.AwardId, "x", "clerk", At), h.Award(UpTo.AwardId), _ => Money.Zero))
            .ThenFails("award.illegal-transition")
            .Message.ShouldContain("has not been determined");
}
