using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Disbursements;
using Ledger.Policies;
using Ledger.Tests.Support;
using static Ledger.Tests.Awards.AwardFixtures;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Policies.TestPolicies;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Disbursements;

public class AwardAccountDeciderTests
{
    private static readonly AwardDetermined Award = HiddenChampionAward;
    private static readonly Guid AwardId = HiddenChampionAward.AwardId;
    private const string Reason = "designation revoked on 2024-11-01: 申报数据造假";

    /// <summary>D1 requested (city), D2 approved and reserved (county), D3 paid 100,000 (city).</summary>
    private static object[] OneOfEach =>
    [
        .. Basics,
        Requested(Award, D1, 50000m, FundingLevel.City),
        .. ApprovedTranche(Award, D2, 80000m, FundingLevel.County),
        .. PaidTranche(Award, D3, 100000m, FundingLevel.City, D(2024, 10, 20)),
    ];

    [Fact]
    public void Revocation_cancels_every_open_request_releases_reservations_and_cancels_the_unpaid_part() =>
        Spec.Given(OneOfEach)
            .When(h => AwardAccountDecider.Revoke(h.Account(AwardId), RevokedFor(Award), "revocation", Now))
            .Then(
                new DisbursementCancelled(AwardId, D1, Reason, "revocation", Now),
                new DisbursementCancelled(AwardId, D2, Reason, "revocation", Now),
                new AwardCancelled(AwardId, Reason, Money.Of(100000m), Money.Of(400000m), Unpaid.Of(Award, (FundingLevel.City, 100000m)), "revocation", Now),
                new BudgetReservationReleased(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D2, AwardId, Money.Of(80000m), ReleaseReason.Revoked, "revocation", Now));

    [Fact]
    public void Revocation_with_clawback_also_demands_back_what_was_paid()
    {
        var decision = AwardAccountDecider.Revoke(new History(OneOfEach).Account(AwardId), RevokedFor(Award, clawback: true), "revocation", Now);
        decision.AwardEvents.OfType<ClawbackDemanded>().ShouldHaveSingleItem()
            .ShouldSatisfyAllConditions(
                c => c.Level.ShouldBe(FundingLevel.City),
                c => c.DivisionCode.ShouldBe(TestReference.Jiaxing),
                c => c.Amount.ShouldBe(Money.Of(100000m)),
                c => c.Reason.ShouldBe(Reason));
    }

    [Fact]
    public void Revocation_settled_once_decides_nothing_the_second_time()
    {
        var first = AwardAccountDecider.Revoke(new History(OneOfEach).Account(AwardId), RevokedFor(Award, clawback: true), "revocation", Now);
        var after = new History([.. OneOfEach, .. first.Events]).Account(AwardId);
        AwardAccountDecider.Revoke(after, RevokedFor(Award, clawback: true), "revocation", Now).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Cancel_open_leaves_paid_returned_rejected_and_cancelled_disbursements_alone() =>
        Spec.Given(Basics)
            .And(PaidTranche(Award, D1, 1000m, FundingLevel.City, D(2024, 10, 20)))
            .And(Requested(Award, D2, 1000m, FundingLevel.City), new DisbursementRejected(AwardId, D2, "x", ApproverWang, Now))
            .When(h => DisbursementDecider.CancelOpen(h.Account(AwardId), "award cancelled", ReleaseReason.Cancelled, "admin", Now))
            .ThenNothing();

    [Fact]
    public void Cancelling_the_award_cancels_its_open_requests_first() =>
        Spec.Given(OneOfEach)
            .When(h => AwardAccountDecider.Decide(new CancelAward(AwardId, "重复认定", "admin", Now), h.Account(AwardId)))
            .Then(
                new DisbursementCancelled(AwardId, D1, "重复认定", "admin", Now),
                new DisbursementCancelled(AwardId, D2, "重复认定", "admin", Now),
                new AwardCancelled(AwardId, "重复认定", Money.Of(100000m), Money.Of(400000m), Unpaid.Of(Award, (FundingLevel.City, 100000m)), "admin", Now),
                new BudgetReservationReleased(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D2, AwardId, Money.Of(80000m), ReleaseReason.Cancelled, "admin", Now));

    [Fact]
    public void Redetermination_may_not_cut_a_share_below_what_is_committed_from_it()
    {
        // Xishan award of up to 300,000, all county: 250,000 requested; lowering it to 200,000 would leave the request uncovered.
        var requested = Spec.Given(Basics).And(Requested(XishanAward, D1, 250000m, FundingLevel.County));
        requested
            .When(h => AwardAccountDecider.Decide(new RedetermineAward(XishanAward.AwardId, Money.Of(200000m), "研发投入核减", "admin", Now), h.Account(XishanAward.AwardId)))
            .ThenFails("award.below-committed")
            .Message.ShouldContain("below the 250000.00 requested, approved or paid from it");
        requested
            .When(h => AwardAccountDecider.Decide(new RedetermineAward(XishanAward.AwardId, Money.Of(250000m), "研发投入核减", "admin", Now), h.Account(XishanAward.AwardId)))
            .ThenSingle<AwardRedetermined>();
    }

    [Fact]
    public void Redetermination_checks_each_level_not_only_the_total()
    {
        // An up-to variant of the Jiaxing policy (city 50 %, county 50 %). 700,000 paid from the city share is less than
        // a re-determined total of 1,000,000, but that total's city share would be only 500,000.
        var upTo = Issued(new IssueAwardPolicy(TestReference.Jiaxing, "嘉兴市", JiaxingDraft with
        {
            Rules = [new RuleDraft(LittleGiant, AwardTrigger.Recognition, 1_500_000m, AmountKind.UpTo)],
        }, Admin, At));
        var award = Determined(Recognition(LittleGiant, D(2024, 9, 27), Haiyan), upTo);
        var paid = Spec.Given(upTo, award, RecognizedFor(award), Registered(EnterpriseA, Haiyan, AccountA), Appropriated(JiaxingCity2024, 5_000_000m))
            .And(PaidTranche(award, D1, 700000m, FundingLevel.City, D(2024, 10, 20)));
        paid.When(h => AwardAccountDecider.Decide(new RedetermineAward(award.AwardId, Money.Of(1_000_000m), "核减", "admin", Now), h.Account(award.AwardId)))
            .ThenFails("award.below-committed")
            .Message.ShouldContain("would cut the city share of award");
        paid.When(h => AwardAccountDecider.Decide(new RedetermineAward(award.AwardId, Money.Of(1_400_000m), "核减", "admin", Now), h.Account(award.AwardId)))
            .ThenSingle<AwardRedetermined>().Funding.Select(f => f.Amount).ShouldBe([Money.Of(700000m), Money.Of(700000m)]);
    }

    [Fact]
    public void Account_folds_award_disbursement_and_clawback_events_and_counts_every_one()
    {
        var account = new History([
            .. OneOfEach,
            new ClawbackDemanded(AwardId, C1, FundingLevel.City, TestReference.Jiaxing, Money.Of(40000m), "x", "admin", Now),
            new ClawbackRepaid(AwardId, C1, Money.Of(15000m), D(2024, 11, 2), "JK-1", Clerk, Now),
        ]).Account(AwardId);
        account.ShouldSatisfyAllConditions(
            a => a.Award.Amount.ShouldBe(Money.Of(500000m)),
            a => a.Award.StreamVersion.ShouldBe(1),
            a => a.StreamVersion.ShouldBe(1 + 1 + 2 + 3 + 2),
            a => a.InOrder.Select(d => (d.Number, d.Status)).ShouldBe([
                (1, DisbursementStatus.Requested), (2, DisbursementStatus.Approved), (3, DisbursementStatus.Paid)]),
            a => a.Committed(FundingLevel.City).ShouldBe(Money.Of(150000m)),
            a => a.Committed(FundingLevel.County).ShouldBe(Money.Of(80000m)),
            a => a.PaidNet(FundingLevel.City).ShouldBe(Money.Of(100000m)),
            a => a.ClawbackOutstanding(FundingLevel.City).ShouldBe(Money.Of(25000m)),
            a => a.Reclaimable(FundingLevel.City).ShouldBe(Money.Of(60000m)));
    }
}
