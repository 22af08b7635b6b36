using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Disbursements;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Disbursements;

public class ApprovalTests
{
    [Fact]
    public void Requester_cannot_approve_own_request() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 100000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, " CLERK-li "))
            .ThenFails("disbursement.approver-is-requester")
            .Message.ShouldContain("cannot also approve it (maker-checker)");

    [Fact]
    public void Below_the_threshold_one_approval_is_final_and_reserves_on_the_planned_year_line() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 100000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverWang))
            .Then(
                new DisbursementApproved(HiddenChampionAward.AwardId, D1, ApproverWang, 1, true, false, null, [], ApproverWang, Now),
                new BudgetReserved(BudgetLineKey.StreamId(JiaxingCity2024), JiaxingCity2024, D1, HiddenChampionAward.AwardId, Money.Of(100000m), ApproverWang, Now));

    [Fact]
    public void At_the_threshold_the_first_approval_reserves_nothing_and_a_second_distinct_approver_completes_it()
    {
        // Xishan sets no threshold; with a default of exactly 300,000 the 300,000 award is at it.
        var atThreshold = new ApprovalSettings(Money.Of(300000m));
        var requested = Spec.Given(Basics).And(Requested(XishanAward, D1, 100000m, FundingLevel.County));
        requested
            .When(h => Approve(h, XishanAward, D1, ApproverWang, settings: atThreshold))
            .Then(new DisbursementApproved(XishanAward.AwardId, D1, ApproverWang, 2, false, false, null, [], ApproverWang, Now));
        requested
            .And(Approval(XishanAward, D1, ApproverWang, required: 2, final: false))
            .When(h => Approve(h, XishanAward, D1, ApproverZhao, settings: atThreshold))
            .Then(
                new DisbursementApproved(XishanAward.AwardId, D1, ApproverZhao, 2, true, false, null, [], ApproverZhao, Now),
                new BudgetReserved(BudgetLineKey.StreamId(XishanCounty2024), XishanCounty2024, D1, XishanAward.AwardId, Money.Of(100000m), ApproverZhao, Now));
    }

    [Theory]
    [InlineData(300000.01, 1)]
    [InlineData(300000, 2)]
    [InlineData(299999.99, 2)]
    public void Default_threshold_applies_when_the_policy_sets_none(decimal threshold, int required) =>
        Spec.Given(Basics)
            .And(Requested(XishanAward, D1, 1000m, FundingLevel.County))
            .When(h => Approve(h, XishanAward, D1, ApproverWang, settings: new ApprovalSettings(Money.Of(threshold))))
            .Events().OfType<DisbursementApproved>().Single().ApprovalsRequired.ShouldBe(required);

    [Fact]
    public void Policy_threshold_replaces_the_default_in_both_directions()
    {
        // Jiaxing's own threshold is 1,000,000. A default of 2,000,000 would let the 1,500,000 award through with one
        // approver, a default of 300,000 would ask two for the 500,000 award: the policy's threshold decides both.
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 1000m, FundingLevel.City))
            .When(h => Approve(h, LittleGiantAward, D1, ApproverWang, settings: new ApprovalSettings(Money.Of(2_000_000m))))
            .ThenSingle<DisbursementApproved>()
            .ShouldSatisfyAllConditions(a => a.ApprovalsRequired.ShouldBe(2), a => a.Final.ShouldBeFalse());
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverWang, settings: new ApprovalSettings(Money.Of(300000m))))
            .Events().OfType<DisbursementApproved>().Single().ShouldSatisfyAllConditions(a => a.ApprovalsRequired.ShouldBe(1), a => a.Final.ShouldBeTrue());
    }

    [Fact]
    public void Small_tranche_of_a_large_award_still_needs_two_approvers() =>
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 10000m, FundingLevel.County))
            .When(h => Approve(h, LittleGiantAward, D1, ApproverWang))
            .ThenSingle<DisbursementApproved>()
            .Final.ShouldBeFalse();

    [Fact]
    public void Same_approver_twice_counts_once() =>
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 10000m, FundingLevel.County), Approval(LittleGiantAward, D1, ApproverWang, 2, false))
            .When(h => Approve(h, LittleGiantAward, D1, "Approver-Wang"))
            .ThenFails("disbursement.already-approved")
            .Message.ShouldContain("one approver counts once; it needs 1 more approval from someone else");

    [Fact]
    public void Approver_recorded_twice_in_history_counts_once()
    {
        // Two imports of the same paper signature: still one approver, so the next distinct approver is the second of two.
        var paper = new DisbursementApproved(LittleGiantAward.AwardId, D1, ApproverWang, 2, false, true, "batch-1", [], "importer", Now);
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 10000m, FundingLevel.County), paper, paper with { ImportBatch = "batch-2" })
            .When(h =>
            {
                h.Account(LittleGiantAward.AwardId).Find(D1)!.DistinctApprovers.ShouldBe([ApproverWang]);
                return Approve(h, LittleGiantAward, D1, ApproverZhao);
            })
            .Events().OfType<DisbursementApproved>().Single().Final.ShouldBeTrue();
    }

    [Fact]
    public void Chain_length_is_configuration()
    {
        var threeSignatures = new ApprovalSettings(Money.Of(1_000_000m), ApprovalsBelowThreshold: 1, ApprovalsAtOrAboveThreshold: 3);
        var twoSigned = Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 10000m, FundingLevel.County))
            .And(Approval(LittleGiantAward, D1, ApproverWang, 3, false), Approval(LittleGiantAward, D1, ApproverZhao, 3, false));
        twoSigned.When(h => Approve(h, LittleGiantAward, D1, ApproverSun, settings: threeSignatures))
            .Events().Count.ShouldBe(2);
        twoSigned.When(h => Approve(h, LittleGiantAward, D1, ApproverSun, settings: threeSignatures with { ApprovalsAtOrAboveThreshold = 4 }))
            .ThenSingle<DisbursementApproved>().ApprovalsRequired.ShouldBe(4);
    }

    [Fact]
    public void Insufficient_budget_names_the_available_amount_and_reserves_nothing()
    {
        var small = new BudgetLineKey(Haiyan, 2025, FundingLevel.County);
        Spec.Given(Basics)
            .And(Appropriated(small, 100000m))
            .And(Requested(HiddenChampionAward, D1, 60000m, FundingLevel.County, 2025), Approval(HiddenChampionAward, D1, ApproverWang))
            .And(Reserved(HiddenChampionAward, D1, 60000m, small))
            .And(Requested(HiddenChampionAward, D2, 50000m, FundingLevel.County, 2025))
            .When(h => Approve(h, HiddenChampionAward, D2, ApproverWang))
            .ThenFails("budget.insufficient")
            .Message.ShouldContain("Budget line 330424/2025/county has 40000.00 available, less than the 50000.00");
    }

    [Fact]
    public void Approval_that_takes_exactly_what_is_available_passes()
    {
        var small = new BudgetLineKey(Haiyan, 2025, FundingLevel.County);
        Spec.Given(Basics)
            .And(Appropriated(small, 50000m), Requested(HiddenChampionAward, D1, 50000m, FundingLevel.County, 2025))
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverWang))
            .Events().OfType<BudgetReserved>().Single().Line.ShouldBe(small);
    }

    [Fact]
    public void Award_in_its_publicity_period_cannot_be_approved_and_the_message_names_the_first_date()
    {
        // Determined Friday 2024-09-27; Xishan requires 5 working days: Sun 29 Sep (make-up day), Mon 30 Sep, then
        // National Day 1–7 Oct is off, then 8, 9, 10 Oct. The first approval day is Friday 11 Oct.
        var requested = Spec.Given(Basics).And(Requested(XishanAward, D1, 1000m, FundingLevel.County));
        requested
            .When(h => Approve(h, XishanAward, D1, ApproverWang, at: Instant.FromUtc(2024, 10, 10, 15, 59)))
            .ThenFails("disbursement.in-publicity")
            .Message.ShouldBe(
                $"Award {XishanAward.AwardId} is in its publicity period (公示) of 5 working days after its determination on 2024-09-27: it can be approved from 2024-10-11, not on 2024-10-10.");
        // 16:00 UTC on the 10th is midnight of the 11th in Beijing: approval date is the Beijing date.
        requested
            .When(h => Approve(h, XishanAward, D1, ApproverWang, at: Instant.FromUtc(2024, 10, 10, 16, 0)))
            .Events().OfType<DisbursementApproved>().ShouldHaveSingleItem();
    }

    [Fact]
    public void Seven_day_publicity_of_the_city_policy_runs_to_14_October() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverWang, at: On(10, 12)))
            .ThenFails("disbursement.in-publicity")
            .Message.ShouldContain("it can be approved from 2024-10-14");

    [Fact]
    public void Historical_paper_approval_skips_publicity_names_its_import_batch_and_records_what_was_not_checked() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, "importer", at: On(9, 30), historical: new HistoricalApproval("import-2024-09", "王科长")))
            .Then(
                new DisbursementApproved(HiddenChampionAward.AwardId, D1, "王科长", 1, true, true, "import-2024-09",
                    [new SkippedRule(ImportRule.PaperApproval, "import-2024-09", "importer",
                        $"approval of disbursement 1 of award {HiddenChampionAward.AwardId} signed on paper by 王科长; the ledger did not see the publicity period of 7 working days after 2024-09-27 nor when it was signed")],
                    "importer", On(9, 30)),
                new BudgetReserved(BudgetLineKey.StreamId(JiaxingCity2024), JiaxingCity2024, D1, HiddenChampionAward.AwardId, Money.Of(1000m), "importer", On(9, 30)));

    [Fact]
    public void Historical_approval_signed_by_the_requester_is_recorded_with_the_maker_checker_rule_it_breaks()
    {
        var approved = Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, "importer", historical: new HistoricalApproval("import-2024-09", Clerk)))
            .Events().OfType<DisbursementApproved>().ShouldHaveSingleItem();

        approved.Approver.ShouldBe(Clerk);
        approved.SkippedRules!.Select(r => (r.Rule, r.ImportBatch, r.AcceptedBy)).ShouldBe(
            [(ImportRule.PaperApproval, "import-2024-09", "importer"), (ImportRule.ApproverIsRequester, "import-2024-09", "importer")]);
        approved.SkippedRules![1].Detail.ShouldBe($"{Clerk} requested disbursement 1 of award {HiddenChampionAward.AwardId} and signed its approval on paper (maker-checker not met)");
    }

    [Fact]
    public void A_historical_paper_approval_stands_for_the_whole_chain_even_at_the_dual_approval_threshold()
    {
        // At a threshold of 300,000 a live approval of the 300,000 award needs two approvers; the paper signed by the chain is one import row.
        var approved = Spec.Given(Basics)
            .And(Requested(XishanAward, D1, 100000m, FundingLevel.County))
            .When(h => Approve(h, XishanAward, D1, "importer", settings: new ApprovalSettings(Money.Of(300000m)), historical: new HistoricalApproval("import-2024-09", "王科长")))
            .Events();

        var approval = approved.OfType<DisbursementApproved>().ShouldHaveSingleItem();
        (approval.ApprovalsRequired, approval.Final, approval.Historical).ShouldBe((2, true, true));
        approved.OfType<BudgetReserved>().ShouldHaveSingleItem().Amount.ShouldBe(Money.Of(100000m));
    }

    [Fact]
    public void Historical_approval_without_an_import_batch_is_refused() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, "importer", historical: new HistoricalApproval(" ", "王科长")))
            .ThenFails("disbursement.field-required")
            .Message.ShouldContain("historical.importBatch");

    [Fact]
    public void Live_approval_skips_no_rule() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverWang))
            .Events().OfType<DisbursementApproved>().Single().SkippedRules.ShouldBeEmpty();

    [Fact]
    public void Cancelled_award_cannot_be_approved() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .And(new AwardCancelled(HiddenChampionAward.AwardId, "重复认定", Money.Zero, HiddenChampionAward.Amount, Unpaid.Of(HiddenChampionAward), "admin", Now))
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverWang))
            .ThenFails("disbursement.award-cancelled");

    [Fact]
    public void Award_whose_designation_was_revoked_cannot_be_approved() =>
        Spec.Given(Basics)
            .And(Requested(HiddenChampionAward, D1, 1000m, FundingLevel.City), RevokedFor(HiddenChampionAward))
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverWang))
            .ThenFails("disbursement.designation-revoked");

    [Fact]
    public void Fully_approved_disbursement_takes_no_further_approval() =>
        Spec.Given(Basics)
            .And(ApprovedTranche(HiddenChampionAward, D1, 1000m, FundingLevel.City))
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverZhao))
            .ThenFails("disbursement.illegal-transition")
            .Message.ShouldContain("is approved: cannot approve it. Allowed next: record the treasury payment, or reject or cancel it.");

    [Fact]
    public void Unknown_disbursement_cannot_be_approved() =>
        Spec.Given(Basics)
            .When(h => Approve(h, HiddenChampionAward, D1, ApproverZhao))
            .ThenFails("disbursement.not-found");
}
