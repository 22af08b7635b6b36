using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Designations;

/// <summary>
/// End to end on PostgreSQL, one test per rule of docs/rules.md: the county of each fact's own date on the immediate
/// path and on both catch-ups, the tier's life, the recognising authority, working-day value dates, and the list of
/// rules each import batch skipped.
/// </summary>
public sealed class FactsAsOfTheirDatesHandlerTests : LedgerFixture
{
    private const string Xishan = "320205";
    private const string Huishan = "320206";
    private static LocalDate D(int y, int m, int d) => new(y, m, d);

    private static PolicyDraft Draft(string title, string document) => TestPolicies.XishanDraft with { Title = title, DocumentNumber = document };

    private async Task<Guid> IssueAsync(string issuer, string issuerName, PolicyDraft draft)
    {
        await App.SendAsync(new IssueAwardPolicy(issuer, issuerName, draft, "admin", Now), As("admin", "admin"));
        return AwardPolicyDecider.StreamId(issuer, draft.DocumentNumber);
    }

    private Task RelocateAsync(Guid enterprise, string to, LocalDate on, RelocationOverride? accepted = null) =>
        App.SendAsync(new RelocateEnterprise(enterprise, to, on, "锡山区市场监管局 变更登记（2023）0815号", accepted, "clerk", Now), As("clerk"));

    private Task RenewAsync(Guid designation, LocalDate on) =>
        App.SendAsync(new ReviewRenewal(designation, RenewalOutcome.Passed, on, null, "江苏省工业和信息化厅", null, "clerk", Now), As("clerk"));

    private async Task<long> HeadAsync() => (await App.Store.HeadAsync()).Position;

    /// <summary>Recognised provincially in Xishan on 2022-06-01, moved to Huishan from 2023-09-01, renewed on 2025-05-20.</summary>
    private async Task<(Guid Enterprise, Guid Designation)> MovedBetweenRecognitionAndRenewalAsync()
    {
        var enterprise = await RegisterAsync(Xishan);
        var designation = await ImportRecognitionAsync(enterprise, "provincial-srdi", D(2022, 6, 1));
        await RelocateAsync(enterprise, Huishan, D(2023, 9, 1));
        Clock.Reset(Instant.FromUtc(2025, 6, 3, 2, 0));
        await RenewAsync(designation, D(2025, 5, 20));
        return (enterprise, designation);
    }

    [Fact]
    public async Task An_enterprise_that_moves_between_recognition_and_renewal_has_its_renewal_awarded_by_the_new_county_immediately_and_in_a_policy_catch_up()
    {
        var xishan = await IssueAsync(Xishan, "无锡市锡山区", TestPolicies.XishanDraft);
        var huishan = await IssueAsync(Huishan, "无锡市惠山区", Draft("惠山区专精特新奖励", "惠政发〔2021〕1号"));

        var (enterprise, designation) = await MovedBetweenRecognitionAndRenewalAsync();

        var renewal = (await App.Store.ReadStreamAsync(designation)).Select(e => e.Data).OfType<RenewalReviewed>().Single();
        renewal.CountyCode.ShouldBe(Huishan);
        var immediate = await AwardsOfAsync(enterprise);
        immediate.Select(a => (a.PolicyId, a.Rule.Trigger, a.CountyCode)).ShouldBe(
            [(xishan, AwardTrigger.Recognition, Xishan), (huishan, AwardTrigger.Renewal, Huishan)], ignoreOrder: true);

        // Policies issued afterwards catch up on the same facts with the same counties.
        var huishanLater = await IssueAsync(Huishan, "无锡市惠山区", Draft("惠山区专精特新复审奖励", "惠政发〔2025〕3号"));
        var xishanLater = await IssueAsync(Xishan, "无锡市锡山区", Draft("锡山区专精特新复审奖励", "锡政发〔2025〕3号"));

        var all = await AwardsOfAsync(enterprise);
        all.Where(a => a.PolicyId == huishanLater).Select(a => (a.Rule.Trigger, a.CountyCode)).ShouldBe([(AwardTrigger.Renewal, Huishan)]);
        all.Where(a => a.PolicyId == xishanLater).Select(a => (a.Rule.Trigger, a.CountyCode)).ShouldBe([(AwardTrigger.Recognition, Xishan)]);
        (await App.Awards.TriggerFactsAsync(designation)).Select(f => (f.Trigger, f.CountyCode)).ShouldBe(
            [(AwardTrigger.Recognition, Xishan), (AwardTrigger.Renewal, Huishan)]);
    }

    [Fact]
    public async Task The_catch_up_after_a_renewal_looks_at_the_policies_of_the_county_the_enterprise_moved_to()
    {
        var (enterprise, designation) = await MovedBetweenRecognitionAndRenewalAsync();
        (await AwardsOfAsync(enterprise)).ShouldBeEmpty();

        // A Huishan policy that committed while the renewal did, invisible to it: appended without its own catch-up.
        var issued = AwardPolicyDecider.Decide(
            new IssueAwardPolicy(Huishan, "无锡市惠山区", Draft("惠山区专精特新奖励", "惠政发〔2021〕1号"), "admin", Now), AwardPolicyState.Initial, App.Reference);
        await App.Store.AppendAsync(
            new StreamAppend(issued.PolicyId, PolicyHandler.StreamType, ExpectedVersion.NoStream, Huishan, [issued]),
            new EventMetadata("admin", "admin", Guid.NewGuid()));
        (await AwardsOfAsync(enterprise)).ShouldBeEmpty();

        await App.Bus.InvokeAsync(new CatchUpDesignation(designation));

        (await AwardsOfAsync(enterprise)).Select(a => (a.PolicyId, a.Rule.Trigger, a.CountyCode, a.TriggerDate))
            .ShouldBe([(issued.PolicyId, AwardTrigger.Renewal, Huishan, D(2025, 5, 20))]);
    }

    [Fact]
    public async Task A_move_dated_before_a_recorded_fact_is_refused_unless_overridden_and_the_fact_stays_where_it_was_recorded()
    {
        var enterprise = await RegisterAsync(Xishan);
        var designation = await ImportRecognitionAsync(enterprise, "provincial-srdi", D(2020, 6, 1));
        await RenewAsync(designation, D(2023, 5, 20));
        var head = await HeadAsync();

        var refused = await Should.ThrowAsync<DomainException>(() => RelocateAsync(enterprise, Huishan, D(2023, 3, 1)));
        refused.Code.ShouldBe("enterprise.relocation-after-recorded-facts");
        refused.Message.ShouldContain($"renewal of 2023-05-20 in {Xishan} (stream {designation})");
        (await HeadAsync()).ShouldBe(head);

        await RelocateAsync(enterprise, Huishan, D(2023, 3, 1), new RelocationOverride("锡山区财政局", "变更登记晚于复审录入"));

        var moved = (await App.Store.ReadStreamAsync(enterprise)).Select(e => e.Data).OfType<EnterpriseRelocated>().Single();
        moved.FactsKept.Select(f => (f.Kind, f.Date, f.CountyCode)).ShouldBe([("renewal", D(2023, 5, 20), Xishan)]);
        (await App.Awards.TriggerFactsAsync(designation)).Single(f => f.Trigger == AwardTrigger.Renewal).CountyCode.ShouldBe(Xishan);
        (await App.Enterprises.LoadAsync(enterprise)).State!.CountyOn(D(2023, 5, 20)).ShouldBe(Huishan);
    }

    [Fact]
    public async Task An_innovative_sme_imported_as_recognised_in_2018_is_a_row_error_and_records_nothing()
    {
        var enterprise = await RegisterAsync(Xishan);
        var head = await HeadAsync();

        var refused = await Should.ThrowAsync<DomainException>(() => ImportRecognitionAsync(enterprise, "innovative-sme", D(2018, 6, 1)));

        refused.Code.ShouldBe("designation.tier-not-in-force");
        refused.Message.ShouldContain("tier innovative-sme (创新型中小企业), which exists from 2022-06-01 (工业和信息化部《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）");
        (await HeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Zhejiangs_department_cannot_recognise_a_Jiangsu_enterprise_at_provincial_level_and_Jiangsus_can()
    {
        var enterprise = await RegisterAsync(Xishan);
        RecognizeDesignation Import(string printedName) => new(
            enterprise, "provincial-srdi", new RecognisingAuthority(App.Reference.Authorities.Find(printedName)!.DivisionCode, printedName),
            "苏工信〔2022〕5号", D(2022, 6, 1), null, null, null, "clerk", Now, new HistoricalImport("county-xishan-2022"));
        var head = await HeadAsync();

        var refused = await Should.ThrowAsync<DomainException>(() => App.SendAsync(Import("浙江省经信厅"), As("importer", "import")));

        refused.Code.ShouldBe("designation.authority-mismatch");
        refused.Message.ShouldContain("浙江省经信厅 (330000 浙江省) cannot recognise provincial-srdi for an enterprise in 320205 锡山区 on 2022-06-01: provincial-srdi is recognised at provincial level, here by 320000 江苏省");
        (await HeadAsync()).ShouldBe(head);

        var designation = await App.SendAsync(Import("江苏省工信厅"), As("importer", "import"));
        var recognized = (await App.Store.ReadStreamAsync(designation)).Single().Data.ShouldBeOfType<DesignationRecognized>();
        (recognized.AuthorityCode, recognized.Authority, recognized.CountyCode).ShouldBe(("320000", "江苏省工信厅", Xishan));
    }

    /// <summary>A Xishan provincial SRDI award recognised 2024-01-10, a 2024 budget, one approved request of 100,000.</summary>
    private async Task<(Guid Award, Guid Disbursement)> ApprovedRequestAsync(HistoricalApproval? paper = null)
    {
        if (await App.Store.StreamVersionAsync(AwardPolicyDecider.StreamId(Xishan, TestPolicies.XishanDraft.DocumentNumber)) == 0)
        {
            await IssueAsync(Xishan, "无锡市锡山区", TestPolicies.XishanDraft);
            await App.SendAsync(new AppropriateBudget(new BudgetLineKey(Xishan, 2024, FundingLevel.County), 5_000_000m, "admin", Now), As("admin", "admin"));
        }
        var enterprise = await RegisterAsync(Xishan, withBankAccount: true);
        await ImportRecognitionAsync(enterprise, "provincial-srdi", D(2024, 1, 10), batch: paper?.ImportBatch ?? ImportBatch);
        var award = (await AwardsOfAsync(enterprise)).Single().AwardId;
        var disbursement = Guid.NewGuid();
        await App.SendAsync(new RequestDisbursement(award, disbursement, 100_000m, FundingLevel.County, 2024, "clerk-li", Now), As("clerk-li"));
        await App.SendAsync(new ApproveDisbursement(award, disbursement, "approver-wang", Now, paper), As(paper is null ? "approver-wang" : "importer", paper is null ? "approver" : "import"));
        return (award, disbursement);
    }

    [Fact]
    public async Task A_live_payment_on_the_Spring_Festival_is_refused_and_the_same_payment_imported_is_recorded_with_its_warning()
    {
        var (award, disbursement) = await ApprovedRequestAsync();
        var head = await HeadAsync();

        var refused = await Should.ThrowAsync<DomainException>(() => App.SendAsync(
            new RecordDisbursementPayment(award, disbursement, "锡财国库〔2024〕0210", D(2024, 2, 10), "clerk-li", Now), As("clerk-li")));

        refused.Code.ShouldBe("disbursement.value-date-not-working-day");
        refused.Message.ShouldContain("2024-02-10 is not a working day (春节) and the treasury does not settle on one; the previous working day is 2024-02-09 and the next is 2024-02-18");
        (await HeadAsync()).ShouldBe(head);

        await App.SendAsync(
            new RecordDisbursementPayment(award, disbursement, "锡财国库〔2024〕0210", D(2024, 2, 10), "importer", Now, new HistoricalImport("treasury-2024")),
            As("importer", "import"));

        var paid = (await App.Store.ReadStreamAsync(award)).Select(e => e.Data).OfType<DisbursementPaid>().Single();
        (paid.ImportBatch, paid.CountyCode).ShouldBe(("treasury-2024", Xishan));
        var warning = paid.SkippedRules.ShouldNotBeNull().ShouldHaveSingleItem();
        (warning.Rule, warning.AcceptedBy).ShouldBe((ImportRule.ValueDateWorkingDay, "importer"));
        (await App.Imports.SkippedRulesAsync("treasury-2024")).ShouldHaveSingleItem().Detail.ShouldBe(warning.Detail);
        (await App.Budgets.LoadAsync(new BudgetLineKey(Xishan, 2024, FundingLevel.County))).State.Paid.ShouldBe(Money.Of(100_000m));
    }

    [Fact]
    public async Task Every_rule_an_import_batch_skipped_is_listed_for_that_batch_in_the_order_it_was_recorded()
    {
        const string Batch = "county-xishan-2024";
        var (award, disbursement) = await ApprovedRequestAsync(new HistoricalApproval(Batch, "王科长"));
        await App.SendAsync(
            new RecordDisbursementPayment(award, disbursement, "锡财国库〔2024〕0211", D(2024, 2, 11), "importer", Now, new HistoricalImport(Batch)),
            As("importer", "import"));
        var other = await RegisterAsync(Xishan);
        await ImportRecognitionAsync(other, "municipal-srdi", D(2023, 5, 1), batch: "county-xishan-2023");

        var listed = await App.Imports.SkippedRulesAsync(Batch);

        listed.Select(e => (e.EventType, e.Rule, e.ImportBatch)).ShouldBe(
        [
            ("designation-recognized", ImportRule.DeclarationAndReviews, Batch),
            ("designation-recognized", ImportRule.Prerequisite, Batch),
            ("disbursement-approved", ImportRule.PaperApproval, Batch),
            ("disbursement-paid", ImportRule.ValueDateWorkingDay, Batch),
        ]);
        listed.Select(e => e.AcceptedBy).ShouldBe(["clerk", "clerk", "importer", "importer"]);
        listed.Select(e => e.Position).ShouldBeInOrder();
        listed[2].StreamId.ShouldBe(award);
        listed[2].Detail.ShouldContain("signed on paper by 王科长");
        (await App.Store.ReadStreamAsync(award)).Select(e => e.Data).OfType<DisbursementApproved>().Single()
            .ShouldSatisfyAllConditions(a => a.Approver.ShouldBe("王科长"), a => a.Actor.ShouldBe("importer"));

        var batches = await App.Imports.BatchesAsync();
        batches.Where(b => b.ImportBatch == Batch).Select(b => (b.Rule, b.Count)).ShouldBe(
            [(ImportRule.DeclarationAndReviews, 1), (ImportRule.Prerequisite, 1), (ImportRule.PaperApproval, 1), (ImportRule.ValueDateWorkingDay, 1)]);
        batches.Where(b => b.ImportBatch == "county-xishan-2023").Select(b => (b.Rule, b.Count, b.AcceptedBy)).ShouldBe(
            [(ImportRule.DeclarationAndReviews, 1, "clerk")]);
        (await App.Imports.SkippedRulesAsync("no-such-batch")).ShouldBeEmpty();
    }
}
