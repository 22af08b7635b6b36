using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Disbursements;
using Ledger.Policies;
using Ledger.Tests.Support;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Disbursements;

public class PaymentTests
{
    private static readonly Guid Award = HiddenChampionAward.AwardId;

    [Fact]
    public void Payment_records_the_voucher_and_moves_the_reservation_to_paid() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 11, 1), "GK2024-0815"))
            .Then(
                new DisbursementPaid(Award, D1, Money.Of(100000m), "GK2024-0815", D(2024, 11, 1), Haiyan, null, [], Clerk, Now),
                new BudgetPaid(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, Award, Money.Of(100000m), D(2024, 11, 1), Clerk, Now));

    [Fact]
    public void Paid_line_counts_the_payment_once()
    {
        var h = new History([.. Basics, .. PaidTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County, D(2024, 11, 1))]);
        var line = h.Line(HaiyanCounty2024);
        line.ShouldSatisfyAllConditions(
            l => l.Reserved.ShouldBe(Money.Zero),
            l => l.Paid.ShouldBe(Money.Of(100000m)),
            l => l.Available.ShouldBe(Money.Of(4_900_000m)),
            l => l.Reservations.ShouldBeEmpty());
    }

    [Theory]
    [InlineData(2025, 1, 2)]
    [InlineData(2023, 12, 29)]
    public void Value_date_outside_the_planned_payment_year_is_refused(int year, int month, int day) =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .When(h => Pay(h, HiddenChampionAward, D1, D(year, month, day), at: On(1, 10, 2025)))
            .ThenFails("disbursement.value-date-year")
            .Message.ShouldContain($"is not in 2024, the planned payment year disbursement 1 of award {Award} reserved budget in; cancel it and request again for {year}.");

    [Fact]
    public void Value_date_before_the_determination_is_refused() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 9, 26)))
            .ThenFails("disbursement.value-date-before-determination");

    [Fact]
    public void Value_date_after_the_day_of_recording_is_refused() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 11, 5)))
            .ThenFails("disbursement.date-in-future");

    [Fact]
    public void Request_without_every_approval_cannot_be_paid() =>
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 100000m, FundingLevel.County), Approval(LittleGiantAward, D1, ApproverWang, 2, false))
            .When(h => Pay(h, LittleGiantAward, D1, D(2024, 11, 1)))
            .ThenFails("disbursement.illegal-transition")
            .Message.ShouldContain("is requested: cannot record a payment");

    [Fact]
    public void Cancelled_award_cannot_be_paid() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .And(new AwardCancelled(Award, "重复认定", Money.Zero, HiddenChampionAward.Amount, Unpaid.Of(HiddenChampionAward), "admin", Now))
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 11, 1)))
            .ThenFails("disbursement.award-cancelled");

    [Fact]
    public void Award_whose_designation_was_revoked_cannot_be_paid() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .And(RevokedFor(HiddenChampionAward))
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 11, 1)))
            .ThenFails("disbursement.designation-revoked");

    [Fact]
    public void Paid_disbursement_cannot_be_paid_twice() =>
        Spec.Given(Basics)
            .And(PaidTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County, D(2024, 11, 1)))
            .When(h => Pay(h, HiddenChampionAward, D1, D(2024, 11, 1)))
            .ThenFails("disbursement.illegal-transition");

    [Fact]
    public void Return_in_the_year_of_payment_credits_the_reserved_line() =>
        Spec.Given(Basics)
            .And(PaidTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County, D(2024, 10, 20)))
            .When(h => Return(h, HiddenChampionAward, D1, D(2024, 10, 25)))
            .Then(
                new DisbursementReturned(Award, D1, Money.Of(100000m), D(2024, 10, 25), "账户已销户", Clerk, Now),
                new BudgetReturned(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, Award, Money.Of(100000m), D(2024, 10, 25), Clerk, Now));

    [Fact]
    public void Return_in_a_later_year_credits_the_line_of_that_year()
    {
        var decision = DisbursementDecider.Decide(
            new RecordDisbursementReturn(Award, D1, D(2025, 1, 6), "账户已销户", Clerk, On(1, 6, 2025)),
            new History([.. Basics, .. PaidTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County, D(2024, 12, 20))]).Account(Award));
        decision.BudgetEvents.ShouldHaveSingleItem().Line.ShouldBe(HaiyanCounty2025);
        decision.BudgetEvents[0].Event.ShouldBeOfType<BudgetReturned>().BudgetLineId.ShouldBe(BudgetLineKey.StreamId(HaiyanCounty2025));
        BudgetLineKey.StreamId(HaiyanCounty2025).ShouldNotBe(BudgetLineKey.StreamId(HaiyanCounty2024));
    }

    [Fact]
    public void Returned_money_is_available_again_on_the_line_and_on_the_award()
    {
        var h = new History([
            .. Basics,
            .. PaidTranche(HiddenChampionAward, D1, 250000m, FundingLevel.County, D(2024, 10, 20)),
            new DisbursementReturned(Award, D1, Money.Of(250000m), D(2024, 10, 25), "账户已销户", Clerk, Now),
            new BudgetReturned(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, Award, Money.Of(250000m), D(2024, 10, 25), Clerk, Now),
        ]);
        h.Line(HaiyanCounty2024).ShouldSatisfyAllConditions(
            l => l.Paid.ShouldBe(Money.Of(250000m)),
            l => l.Returned.ShouldBe(Money.Of(250000m)),
            l => l.Available.ShouldBe(Money.Of(5_000_000m)));
        h.Account(Award).ShouldSatisfyAllConditions(
            a => a.PaidNet(FundingLevel.County).ShouldBe(Money.Zero),
            a => a.Uncommitted(FundingLevel.County).ShouldBe(Money.Of(250000m)));
        Request(h, HiddenChampionAward, D2, 250000m, FundingLevel.County).AwardEvents.ShouldHaveSingleItem();
    }

    [Fact]
    public void Return_before_the_payment_is_refused() =>
        Spec.Given(Basics)
            .And(PaidTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County, D(2024, 10, 20)))
            .When(h => Return(h, HiddenChampionAward, D1, D(2024, 10, 19)))
            .ThenFails("disbursement.returned-before-paid");

    [Fact]
    public void Only_a_paid_disbursement_can_be_returned() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .When(h => Return(h, HiddenChampionAward, D1, D(2024, 10, 25)))
            .ThenFails("disbursement.illegal-transition");

    [Fact]
    public void Return_is_recorded_even_after_the_award_was_cancelled() =>
        Spec.Given(Basics)
            .And(PaidTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County, D(2024, 10, 20)))
            .And(new AwardCancelled(Award, "撤销", Money.Of(100000m), Money.Of(400000m), Unpaid.Of(HiddenChampionAward, (FundingLevel.County, 100000m)), "admin", Now), RevokedFor(HiddenChampionAward))
            .When(h => Return(h, HiddenChampionAward, D1, D(2024, 10, 25)))
            .Events().Count.ShouldBe(2);

    [Fact]
    public void Return_that_would_leave_less_paid_than_clawed_back_is_refused() =>
        Spec.Given(Basics)
            .And(PaidTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County, D(2024, 10, 20)))
            .And(new ClawbackDemanded(Award, C1, FundingLevel.County, Haiyan, Money.Of(100000m), "数据造假", "admin", Now))
            .When(h => Return(h, HiddenChampionAward, D1, D(2024, 10, 25)))
            .ThenFails("disbursement.return-below-clawback");

    [Fact]
    public void Rejection_of_an_approved_request_releases_its_reservation() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .When(h => Reject(h, HiddenChampionAward, D1))
            .Then(
                new DisbursementRejected(Award, D1, "材料不全", ApproverWang, Now),
                new BudgetReservationReleased(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, Award, Money.Of(100000m), ReleaseReason.Rejected, ApproverWang, Now));

    [Fact]
    public void Cancellation_of_an_approved_request_releases_its_reservation() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .When(h => Cancel(h, HiddenChampionAward, D1))
            .Then(
                new DisbursementCancelled(Award, D1, "企业申请撤回", Clerk, Now),
                new BudgetReservationReleased(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, Award, Money.Of(100000m), ReleaseReason.Cancelled, Clerk, Now));

    [Fact]
    public void Rejection_before_the_final_approval_has_nothing_to_release() =>
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 100000m, FundingLevel.County), Approval(LittleGiantAward, D1, ApproverWang, 2, false))
            .When(h => Reject(h, LittleGiantAward, D1))
            .ThenSingle<DisbursementRejected>();

    [Fact]
    public void Released_reservation_is_available_again()
    {
        var h = new History([
            .. Basics,
            .. ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County),
            .. Cancel(new History([.. Basics, .. ApprovedTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County)]), HiddenChampionAward, D1).Events,
        ]);
        h.Line(HaiyanCounty2024).ShouldSatisfyAllConditions(
            l => l.Reserved.ShouldBe(Money.Zero),
            l => l.Available.ShouldBe(Money.Of(5_000_000m)));
    }

    [Fact]
    public void Paid_disbursement_can_be_neither_rejected_nor_cancelled()
    {
        var paid = Spec.Given(Basics).And(PaidTranche(HiddenChampionAward, D1, 100000m, FundingLevel.County, D(2024, 11, 1)));
        paid.When(h => Reject(h, HiddenChampionAward, D1)).ThenFails("disbursement.illegal-transition")
            .Message.ShouldContain("is paid: cannot reject it. Allowed next: record a bank return, or demand a clawback on the award.");
        paid.When(h => Cancel(h, HiddenChampionAward, D1)).ThenFails("disbursement.illegal-transition");
    }

    [Fact]
    public void Rejection_and_cancellation_need_a_reason() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 100000m, FundingLevel.County))
            .When(h => DisbursementDecider.Decide(new CancelDisbursement(Award, D1, " ", Clerk, Now), h.Account(Award)))
            .ThenFails("disbursement.field-required")
            .Message.ShouldBe("reason is required: it must not be empty.");
}
