using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.Reports;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Reports;

/// <summary>
/// Xishan 2022 by hand: four enterprises under the Xishan policy (county 100 %), awards of 2021 and 2022, a payment
/// after the year, a lowered award paid and returned by the bank and then revoked, a clawback half repaid. The figures
/// below are worked out on paper; the reconciliation must say the same, tie determined to paid line by line, and list
/// every award with the events that make up its amounts.
/// </summary>
public sealed class ReconciliationTests : LedgerFixture
{
    private static readonly Caller Admin = new("admin", "admin");
    private static readonly Caller Clerk = new("clerk-li", "clerk");
    private static readonly Caller Approver = new("approver-wang", "approver");

    private static Instant At(int year, int month, int day) => Instant.FromUtc(year, month, day, 2, 0);

    private async Task<Guid> AwardAsync(string tier, LocalDate recognized)
    {
        var enterprise = await RegisterAsync(TestReference.Xishan, "示例精密机械有限公司", withBankAccount: true);
        await ImportRecognitionAsync(enterprise, tier, recognized);
        return (await AwardsOfAsync(enterprise)).Single().AwardId;
    }

    private async Task<Guid> PayAsync(Guid award, decimal yuan, LocalDate on)
    {
        Clock.Reset(At(on.Year, on.Month, on.Day));
        var id = Guid.NewGuid();
        await App.SendAsync(new RequestDisbursement(award, id, yuan, FundingLevel.County, on.Year, "", default), Clerk);
        await App.SendAsync(new ApproveDisbursement(award, id, "", default), Approver);
        await App.SendAsync(new RecordDisbursementPayment(award, id, $"锡财〔{on.Year}〕{id.ToString()[..6]}", on, "", default), Clerk);
        return id;
    }

    /// <summary>
    /// E1 provincial 2021-06-01 (300,000 determined 2021), paid 2022-03-15. E2 municipal 2022-02-08 (100,000), paid
    /// 2022-06-01, clawback of 50,000 demanded 2022-12-01 of which 20,000 repaid 2022-12-05. E3 provincial 2022-05-10
    /// (300,000), paid 2023-02-01. E4 municipal 2022-08-01 (100,000) lowered to 80,000 on 2022-08-15, paid 2022-09-01,
    /// returned 2022-10-10, revoked 2022-11-01 (the unpaid 80,000 cancelled).
    /// 2022 determined: 100,000 + 300,000 + 100,000 − 20,000 − 80,000 = 400,000.
    /// 2022 paid: 300,000 + 100,000 + 80,000 = 480,000; returned 80,000; repaid 20,000; net 380,000.
    /// </summary>
    private async Task<(Guid E1, Guid E2, Guid E3, Guid E4)> XishanAsync()
    {
        Clock.Reset(At(2021, 5, 1));
        await App.SendAsync(new IssueAwardPolicy(TestReference.Xishan, "无锡市锡山区", TestPolicies.XishanDraft, "admin", default), Admin);
        foreach (var year in new[] { 2022, 2023 })
        {
            await App.SendAsync(new AppropriateBudget(new BudgetLineKey(TestReference.Xishan, year, FundingLevel.County), 10_000_000m, "", default), Admin);
        }
        var e1 = await AwardAsync("provincial-srdi", new LocalDate(2021, 6, 1));
        var e2 = await AwardAsync("municipal-srdi", new LocalDate(2022, 2, 8));
        var e3 = await AwardAsync("provincial-srdi", new LocalDate(2022, 5, 10));
        var e4 = await AwardAsync("municipal-srdi", new LocalDate(2022, 8, 1));

        await PayAsync(e1, 300_000m, new LocalDate(2022, 3, 15));
        await PayAsync(e2, 100_000m, new LocalDate(2022, 6, 1));
        Clock.Reset(At(2022, 8, 15));
        await App.SendAsync(new RedetermineAward(e4, Money.Of(80_000m), "研发投入核减", "", default), Admin);
        var returned = await PayAsync(e4, 80_000m, new LocalDate(2022, 9, 1));
        Clock.Reset(At(2022, 10, 10));
        await App.SendAsync(new RecordDisbursementReturn(e4, returned, new LocalDate(2022, 10, 10), "账户已销户", "", default), Clerk);
        Clock.Reset(At(2022, 11, 1));
        var designation = (await App.Awards.LoadAsync(e4)).State.Award.DesignationId;
        await App.SendAsync(new RevokeDesignation(designation, "申报数据造假", new LocalDate(2022, 11, 1), false, "", default), Admin);
        Clock.Reset(At(2022, 12, 1));
        var clawback = Guid.NewGuid();
        await App.SendAsync(new DemandClawback(e2, clawback, FundingLevel.County, 50_000m, "核查不符", "", default), Admin);
        Clock.Reset(At(2022, 12, 5));
        await App.SendAsync(new RecordClawbackRepayment(e2, clawback, 20_000m, new LocalDate(2022, 12, 5), "锡财缴〔2022〕9", "", default), Clerk);
        await PayAsync(e3, 300_000m, new LocalDate(2023, 2, 1));
        return (e1, e2, e3, e4);
    }

    [Fact]
    public async Task Xishan_2022_reconciles_against_its_recorded_figure_and_the_lines_tie_determined_to_paid()
    {
        var (e1, e2, e3, e4) = await XishanAsync();
        await App.SendAsync(new RecordPublishedFigures(
            [new FigureInput(TestReference.Xishan, 2022, "srdi_reward_total", FigureBasis.Paid, 380_000m, "yuan", false, "测试来源", "奖励资金合计38万元")],
            "", default), Admin);

        var paid = await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022));

        (paid.Ledger, paid.Published, paid.Variance, paid.Reconciled).ShouldBe((380_000m, 380_000m, 0m, true));
        (paid.LedgerPaid, paid.LedgerDetermined).ShouldBe((Money.Of(380_000m), Money.Of(400_000m)));
        paid.Explanation.ToDictionary(l => l.Code, l => l.Amount.Yuan).ShouldBe(new Dictionary<string, decimal>
        {
            ["determined"] = 400_000m,
            ["paid-for-earlier-years"] = 300_000m,
            ["determined-paid-later"] = -300_000m,
            ["determined-unpaid"] = 0m,
            ["earlier-awards-reversed"] = 0m,
            ["returned-earlier-years"] = 0m,
            ["clawback-repaid"] = -20_000m,
            ["paid"] = 380_000m,
            ["returned-this-year"] = 80_000m,
            ["clawback-demanded"] = 50_000m,
        });
        paid.Awards.Select(a => a.AwardId).ShouldBe([e1, e2, e3, e4], ignoreOrder: true);
        var e4Line = paid.Awards.Single(a => a.AwardId == e4);
        (e4Line.Determined, e4Line.Paid, e4Line.Returned, e4Line.NetPaid).ShouldBe((Money.Zero, Money.Of(80_000m), Money.Of(80_000m), Money.Zero));
        e4Line.Events.Select(p => (p.Measure, p.Amount.Yuan)).ShouldBe(
            [("determined", 100_000m), ("determined", -20_000m), ("paid", 80_000m), ("returned", 80_000m), ("determined", -80_000m)]);
        e4Line.Events.ShouldAllBe(p => p.Event.Position > 0 && p.Event.Seq > 0);
        paid.Awards.Single(a => a.AwardId == e3).PaidLater.ShouldBe(Money.Of(300_000m));

        var determined = await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022, FigureBasis.Determined, Published: 400_000.01m));
        (determined.Ledger, determined.Variance, determined.Reconciled).ShouldBe((400_000m, -0.01m, false));
    }

    [Fact]
    public async Task Cumulative_and_stock_figures_reconcile_on_their_own_bases_and_a_lower_bound_holds_at_or_above_it()
    {
        await XishanAsync();

        var cumulative = await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2023, FigureBasis.PaidCumulative, Published: 680_000m));
        cumulative.Explanation.Select(l => (l.Code, l.Amount.Yuan)).ShouldBe([("paid-in-year", 380_000m), ("paid-in-year", 300_000m)]);
        (cumulative.Ledger, cumulative.Reconciled).ShouldBe((680_000m, true));

        // E4 was revoked on 2022-11-01: three of the four hold a designation on 31 December 2022.
        var stock = await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022, FigureBasis.Stock, Published: 3m));
        (stock.Ledger, stock.Reconciled).ShouldBe((3m, true));
        (await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022, FigureBasis.Stock, "national_little_giant_count", Published: 0m))).Ledger.ShouldBe(0m);

        await App.SendAsync(new RecordPublishedFigures(
            [new FigureInput(TestReference.Xishan, 2022, "srdi_enterprise_count", FigureBasis.Stock, 2m, "enterprises", true, "测试来源", "2家余")], "", default), Admin);
        var atLeast = await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022, FigureBasis.Stock));
        (atLeast.Ledger, atLeast.Published, atLeast.Variance, atLeast.LowerBound, atLeast.Reconciled).ShouldBe((3m, 2m, 1m, true, true));
        var tooFew = await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022, FigureBasis.Stock, Published: 4m));
        tooFew.Reconciled.ShouldBeFalse();
    }

    [Fact]
    public async Task Without_a_recorded_figure_reconciliation_asks_for_one()
    {
        var error = await Should.ThrowAsync<DomainException>(() => App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022)));
        error.Code.ShouldBe("report.no-published-figure");
    }

    [Fact]
    public async Task An_enterprise_history_lists_every_step_in_chain_order_with_its_event_and_as_of_an_earlier_instant()
    {
        var (_, _, _, e4) = await XishanAsync();
        var enterprise = (await App.Awards.LoadAsync(e4)).State.Award.EnterpriseId;
        var uscc = (await App.Enterprises.LoadAsync(enterprise, null, CancellationToken.None)).State!.Uscc;

        var history = await App.Reports.HistoryAsync(uscc);

        history.Lines.Select(l => l.Kind).ShouldBe([
            "enterprise-registered", "designation-recognized", "award-determined", "award-redetermined", "disbursement-requested",
            "disbursement-approved", "disbursement-paid", "disbursement-returned", "designation-revoked", "award-cancelled",
        ]);
        history.Lines.Select(l => l.Event.Position).ShouldBeInOrder();
        history.Lines.Single(l => l.Kind == "disbursement-paid").ShouldSatisfyAllConditions(
            l => l.Amount.ShouldBe(Money.Of(80_000m)), l => l.Date.ShouldBe(new LocalDate(2022, 9, 1)), l => l.Actor.ShouldBe("clerk-li"),
            l => l.Detail.ShouldStartWith("voucher "));
        history.Lines.Single(l => l.Kind == "award-redetermined").Detail.ShouldContain("100000.00 → 80000.00");

        var paidAt = history.Lines.Single(l => l.Kind == "disbursement-paid").Event.ChainedAt;
        var earlier = await App.Reports.HistoryAsync(uscc, paidAt);
        earlier.Lines.Last().Kind.ShouldBe("disbursement-paid");
        earlier.Lines.Count.ShouldBe(7);

        var unknown = await Should.ThrowAsync<DomainException>(() => App.Reports.HistoryAsync(UsccFor(TestReference.Xishan, 99_999)));
        unknown.Code.ShouldBe("enterprise.not-found");
        (await Should.ThrowAsync<DomainException>(() => App.Reports.HistoryAsync("91320205-bad"))).Message.ShouldContain("uscc");
    }

    [Fact]
    public async Task Budget_execution_per_line_equals_the_line_folded_now_and_as_of_an_earlier_instant()
    {
        await XishanAsync();
        var line = new BudgetLineKey(TestReference.Xishan, 2022, FundingLevel.County);
        var folded = (await App.Budgets.LoadAsync(line)).State;

        var report = await App.Reports.BudgetExecutionAsync("320200", 2022);

        var row = report.Lines.ShouldHaveSingleItem();
        (row.DivisionCode, row.Level, row.Appropriated, row.Reserved, row.Paid, row.Returned, row.Repaid, row.Available).ShouldBe(
            (TestReference.Xishan, "county", folded.Appropriated, folded.Reserved, folded.Paid, folded.Returned, folded.Repaid, folded.Available));
        (row.Paid, row.Returned, row.Repaid).ShouldBe((Money.Of(480_000m), Money.Of(80_000m), Money.Of(20_000m)));

        var firstPayment = (await App.Reports.HistoryAsync((await FirstUsccAsync()))).Lines.Single(l => l.Kind == "disbursement-paid").Event.ChainedAt;
        var then = (await App.Reports.BudgetExecutionAsync("320200", 2022, firstPayment)).Lines.ShouldHaveSingleItem();
        (then.Paid, then.Reserved, then.Available).ShouldBe((Money.Of(300_000m), Money.Zero, Money.Of(9_700_000m)));
    }

    private async Task<string> FirstUsccAsync()
    {
        await using var command = App.Store.DataSource.CreateCommand("SELECT uscc FROM enterprises ORDER BY uscc LIMIT 1");
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
