using System.Text;
using Ledger.Imports;
using Ledger.Reports;
using Ledger.Tests.Support;
using Npgsql;
using NodaTime;

namespace Ledger.Tests.Imports;

/// <summary>
/// <c>ledger import</c> end to end against the real database: a small Xishan book goes through the deciders into the
/// ledger in one transaction, reports its totals, and imports again as "0 new"; bad rows are all listed and nothing is
/// written; two imports at once end as one; a batched import stopped midway is finished by running it again.
/// </summary>
public sealed class ImportTests : LedgerFixture
{
    private static readonly Instant Today = Instant.FromUtc(2026, 11, 30, 2, 0);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-import-{Guid.NewGuid():N}");

    private static readonly string E1 = UsccFor("320205", 1);
    private static readonly string E2 = UsccFor("320205", 2);
    private static readonly string E3 = UsccFor("320205", 3);

    public static readonly string[] Policies =
    [
        "policy_key,issuer_code,title,document_no,effective_from,applies_from,applies_to,stacking,tier,trigger,amount_yuan,amount_kind,funding_split,publicity_days,dual_approval_threshold_yuan",
        "xishan-2021,320205,锡山区专精特新奖励,锡政发〔2021〕1号,2021-01-01,2021-01-01,,highest-only,national-little-giant,recognition,500000,up-to,county:100,5,",
        "xishan-2021,320205,锡山区专精特新奖励,锡政发〔2021〕1号,2021-01-01,2021-01-01,,highest-only,provincial-srdi,recognition,300000,up-to,county:100,5,",
        "xishan-2021,320205,锡山区专精特新奖励,锡政发〔2021〕1号,2021-01-01,2021-01-01,,highest-only,municipal-srdi,recognition,100000,up-to,county:100,5,",
        "xishan-2021,320205,锡山区专精特新奖励,锡政发〔2021〕1号,2021-01-01,2021-01-01,,highest-only,provincial-srdi,renewal,100000,fixed,county:100,5,",
    ];

    private static string[] Enterprises =>
    [
        "uscc,name,county_code,industry,bank_account",
        $"{E1},示例精密机械有限公司,320205,通用设备制造业,中国工商银行无锡锡山支行|示例精密机械有限公司|1103020109000000001",
        $"{E2},示例传感科技有限公司,320205,仪器仪表制造业,中国银行无锡锡山支行|示例传感科技有限公司|1103020109000000002",
        $"\"{E3}\",\"示例新材料有限公司\",320205,化学原料和化学制品制造业,江苏银行无锡锡山支行|示例新材料有限公司|1103020109000000003",
    ];

    private static readonly string[] Budgets =
    [
        "division_code,year,funding_source,amount_yuan",
        "320205,2022,county,5000000",
        "320205,2023,county,5000000.00",
    ];

    private static string[] Recognitions =>
    [
        "uscc,tier,trigger,decided_on,authority,document_no,valid_to",
        $"{E1},municipal-srdi,recognition,2021-06-15,无锡市工业和信息化局,锡工信〔2021〕10号,",
        $"{E1},provincial-srdi,recognition,2022-03-10,江苏省工业和信息化厅,苏工信中小〔2022〕5号,",
        $"{E2},national-little-giant,recognition,2022-07-20,工业和信息化部,工信部企业函〔2022〕191号,",
        $"{E3},provincial-srdi,renewal,2022-09-01,320000,苏工信中小〔2022〕9号,",
    ];

    private static string[] Lowerings =>
    [
        "uscc,tier,trigger,decided_on,policy_key,amount_yuan,reason",
        $"{E2},national-little-giant,recognition,2022-07-20,xishan-2021,400000,区政府常务会议定额",
    ];

    private static string[] Payments =>
    [
        "uscc,tier,trigger,decided_on,policy_key,amount_yuan,funding_source,paid_on,voucher_no",
        $"{E1},municipal-srdi,recognition,2021-06-15,,100000,county,2022-01-10,XS-2022-0001",
        $"{E1},provincial-srdi,recognition,2022-03-10,xishan-2021,200000,county,2022-04-12,XS-2022-0002",
        $"{E2},national-little-giant,recognition,2022-07-20,,400000.00,county,2022-08-15,XS-2022-0003",
        $"{E3},provincial-srdi,renewal,2022-09-01,,100000,county,2023-02-15,XS-2023-0001",
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clock.Reset(Today);
        Directory.CreateDirectory(_folder);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private void Write(string file, IEnumerable<string> lines, bool bom = true) =>
        File.WriteAllText(Path.Combine(_folder, file), string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(bom));

    private void WriteBook()
    {
        Write(ImportInput.Policies, Policies);
        Write(ImportInput.Enterprises, Enterprises, bom: false);
        Write(ImportInput.Budgets, Budgets);
        Write(ImportInput.Recognitions, Recognitions);
        Write(ImportInput.Awards, Lowerings);
        Write(ImportInput.Payments, Payments);
    }

    private Task<ImportSummary> ImportAsync(Importer? importer = null) => (importer ?? App.Importer).ImportAsync(_folder, As("county-finance", "clerk"));

    private async Task<long> CountAsync(string sql)
    {
        await using var command = App.Store.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private Task<long> EventsAsync() => CountAsync("SELECT count(*) FROM mt_events");

    [Fact]
    public async Task A_county_book_goes_through_the_deciders_in_one_transaction_and_reports_its_totals()
    {
        WriteBook();

        var summary = await ImportAsync();

        var n = summary.New;
        (n.Policies, n.Enterprises, n.BudgetLines, n.Recognitions, n.Renewals, n.Awards, n.Lowerings, n.Payments, n.Held)
            .ShouldBe((1, 3, 2, 3, 1, 4, 1, 4, 0));
        // The little giant without its provincial designation; the provincial one of 2022-03 needed no innovative SME,
        // a tier that only existed from 2022-06-01.
        (n.PrerequisiteOverrides, n.RenewalsWithoutBase).ShouldBe((1, 1));
        summary.Commits.ShouldBe(1);
        summary.NewEvents.ShouldBe((int)await EventsAsync());
        // One commit: every event of the import is linked at one instant, one transaction.
        (await CountAsync("SELECT count(DISTINCT c.chained_at) FROM event_chain c")).ShouldBe(1);

        var paid2022 = await App.Reports.TotalsAsync(new TotalsQuery(2022, "320205"));
        paid2022.Total.ShouldBe(Money.Of(700_000m));
        var determined2022 = await App.Reports.TotalsAsync(new TotalsQuery(2022, "320205", Basis: TotalsBasis.Determined));
        // 200,000 (provincial over municipal) + 500,000 lowered to 400,000 + 100,000 renewal.
        determined2022.Total.ShouldBe(Money.Of(700_000m));
        (await App.Reports.TotalsAsync(new TotalsQuery(2023, "320205"))).Total.ShouldBe(Money.Of(100_000m));

        var history = await App.Reports.HistoryAsync(E2);
        history.Lines.Select(l => l.Kind).ShouldContain("disbursement-paid");
        var skipped = await App.Imports.SkippedRulesAsync(summary.ImportBatch);
        skipped.Count(s => s.Rule == ImportRule.Prerequisite).ShouldBe(1);
        skipped.Count(s => s.Rule == ImportRule.PaperApproval).ShouldBe(4);
        skipped.ShouldAllBe(s => s.AcceptedBy == "county-finance");
        (await Importer.UnfinishedAsync(App.Store.DataSource)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Importing_the_same_files_again_writes_nothing_and_says_0_new()
    {
        WriteBook();
        await ImportAsync();
        var events = await EventsAsync();

        var again = await ImportAsync();

        (again.NewEvents, again.New.New, again.Commits).ShouldBe((0, 0, 0));
        again.New.Held.ShouldBe(Policies.Length - 1 - 3 + 3 + 2 + 4 + 1 + 4);
        (await EventsAsync()).ShouldBe(events);
    }

    [Fact]
    public async Task A_row_the_ledger_holds_with_other_content_is_an_error_showing_both()
    {
        WriteBook();
        await ImportAsync();
        var events = await EventsAsync();
        Write(ImportInput.Enterprises, Enterprises.Select(l => l.Replace("示例传感科技有限公司,", "示例传感技术有限公司,", StringComparison.Ordinal)));
        Write(ImportInput.Payments, Payments.Select(l => l.Replace("400000.00,county,2022-08-15", "400000.00,county,2022-08-16", StringComparison.Ordinal)));

        var refused = await Should.ThrowAsync<InputFileException>(ImportAsync());

        var name = refused.Errors.Where(e => e.File == ImportInput.Enterprises).ShouldHaveSingleItem();
        (name.Line, name.Column).ShouldBe((3, "name"));
        name.Reason.ShouldContain("ledger '示例传感科技有限公司', file '示例传感技术有限公司'");
        var voucher = refused.Errors.Where(e => e.File == ImportInput.Payments).ShouldHaveSingleItem();
        (voucher.Line, voucher.Column).ShouldBe((4, "voucher_no"));
        voucher.Reason.ShouldContain("2022-08-15");
        voucher.Reason.ShouldContain("2022-08-16");
        (await EventsAsync()).ShouldBe(events);
    }

    [Fact]
    public async Task Every_bad_row_is_listed_once_with_file_line_and_column_and_nothing_is_written()
    {
        Write(ImportInput.Policies, Policies);
        Write(ImportInput.Enterprises,
        [
            .. Enterprises,
            "91320205MA1X2Y3Z4Q,示例坏号有限公司,320205,制造业,",        // bad USCC (check character)
            $"{UsccFor("320205", 9)},示例外地有限公司,999999,制造业,",      // unknown county
        ]);
        Write(ImportInput.Budgets, ["division_code,year,funding_source", "320205,2022,county"]); // missing column
        Write(ImportInput.Recognitions,
        [
            .. Recognitions,
            $"{E1},national-giant,recognition,2022-05-05,工业和信息化部,工信部企业函〔2022〕1号,",   // unknown tier
            $"{E3},municipal-srdi,recognition,2022-02-30,无锡市工业和信息化局,锡工信〔2022〕3号,",    // no such date
        ]);
        Write(ImportInput.Payments,
        [
            .. Payments,
            $"{E1},provincial-srdi,recognition,2022-03-10,,0.125,county,2022-04-13,XS-2022-0100",   // 3 decimals
            $"{E1},provincial-srdi,recognition,2022-03-10,,-500,county,2022-04-13,XS-2022-0101",    // negative
            $"{E2},provincial-srdi,recognition,2021-01-05,,100000,county,2022-04-13,XS-2022-0102",  // no such recognition
            $"{E1},provincial-srdi,recognition,2022-03-10,,1000,county,2022-04-14,XS-2022-0002",    // duplicate voucher
        ]);
        Write(ImportInput.Returns, ["voucher,returned_on,reason", "XS-2022-0001,2022-05-01,账户已销户"]); // wrong header

        var refused = await Should.ThrowAsync<InputFileException>(ImportAsync());

        var errors = refused.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column}").ToList();
        errors.ShouldBe(errors.Distinct().ToList());
        refused.Errors.ShouldContain(e => e.File == ImportInput.Enterprises && e.Line == 5 && e.Column == "uscc");
        refused.Errors.ShouldContain(e => e.File == ImportInput.Enterprises && e.Line == 6 && e.Column == "county_code");
        refused.Errors.ShouldContain(e => e.File == ImportInput.Budgets && e.Line == 1 && e.Column == "amount_yuan" && e.Reason == "missing column");
        refused.Errors.ShouldContain(e => e.File == ImportInput.Recognitions && e.Line == 6 && e.Column == "tier");
        refused.Errors.ShouldContain(e => e.File == ImportInput.Recognitions && e.Line == 7 && e.Column == "decided_on" && e.Reason.Contains("2022-02-30"));
        refused.Errors.ShouldContain(e => e.File == ImportInput.Payments && e.Line == 6 && e.Column == "amount_yuan" && e.Reason.Contains("2 decimal"));
        refused.Errors.ShouldContain(e => e.File == ImportInput.Payments && e.Line == 7 && e.Column == "amount_yuan" && e.Reason.Contains("greater than 0"));
        refused.Errors.ShouldContain(e => e.File == ImportInput.Payments && e.Line == 8 && e.Column == "decided_on" && e.Reason.Contains("no award matches"));
        refused.Errors.ShouldContain(e => e.File == ImportInput.Payments && e.Line == 9 && e.Column == "voucher_no" && e.Reason.Contains("also on line 3"));
        refused.Errors.ShouldContain(e => e.File == ImportInput.Returns && e.Line == 1 && e.Column == "voucher");
        refused.Errors.ShouldContain(e => e.File == ImportInput.Returns && e.Line == 1 && e.Column == "voucher_no");
        // The budget lines were refused with their file, so the payments on them fail too: each of those says which line is missing.
        refused.Errors.Where(e => e.File == ImportInput.Payments && e.Line <= 5).ShouldAllBe(e => e.Reason.Contains("budget line"));
        (await EventsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_payment_whose_budget_line_is_too_small_is_a_row_error_naming_the_line()
    {
        WriteBook();
        Write(ImportInput.Budgets, ["division_code,year,funding_source,amount_yuan", "320205,2022,county,650000", "320205,2023,county,100000"]);

        var refused = await Should.ThrowAsync<InputFileException>(ImportAsync());

        var error = refused.Errors.ShouldHaveSingleItem();
        (error.File, error.Line).ShouldBe((ImportInput.Payments, 4));
        error.Reason.ShouldContain("320205/2022/county");
        (await EventsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Two_imports_of_the_same_files_started_at_once_leave_the_ledger_as_one_import_would()
    {
        WriteBook();

        var both = await Task.WhenAll(ImportAsync(), ImportAsync());

        // They raced: one found the other holding the import lock and waited for it.
        both.Count(s => s.WaitedForAnotherImport).ShouldBe(1);
        both.Count(s => s.NewEvents > 0).ShouldBe(1);
        both.Single(s => s.WaitedForAnotherImport).NewEvents.ShouldBe(0);
        (await EventsAsync()).ShouldBe(both.Sum(s => s.NewEvents));
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'disbursement-paid'")).ShouldBe(4);
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'award-determined'")).ShouldBe(4);
    }

    [Fact]
    public async Task A_batched_import_decides_every_group_before_writing_any_so_a_bad_row_in_the_last_group_writes_nothing()
    {
        WriteBook();
        Write(ImportInput.Payments, [.. Payments, $"{E3},provincial-srdi,renewal,2022-09-01,,1,county,2023-02-16,XS-2023-0002"]);
        var batched = new Importer(App.Store, App.Reference, App.Figures.Measures, LedgerApp.DefaultApprovals, Clock, App.Bus)
        {
            SingleTransactionRows = 5,
            EventsPerCommit = 8,
            EnterprisesPerGroup = 1,
        };

        var refused = await Should.ThrowAsync<InputFileException>(ImportAsync(batched));

        var error = refused.Errors.ShouldHaveSingleItem();
        (error.File, error.Line).ShouldBe((ImportInput.Payments, 6));
        error.Reason.ShouldContain("above the share");
        (await EventsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_batched_import_stopped_midway_is_unfinished_until_running_it_again_finishes_it()
    {
        WriteBook();
        var stopping = new Importer(App.Store, App.Reference, App.Figures.Measures, LedgerApp.DefaultApprovals, Clock, App.Bus)
        {
            SingleTransactionRows = 5,
            EventsPerCommit = 8,
            EnterprisesPerGroup = 2,
            AfterCommit = commit => throw new IOException($"the import stopped after commit {commit}"),
        };

        await Should.ThrowAsync<IOException>(ImportAsync(stopping));

        var partial = await EventsAsync();
        partial.ShouldBeGreaterThan(0);
        (await Importer.UnfinishedAsync(App.Store.DataSource)).ShouldHaveSingleItem().Rows.ShouldBe(18);
        var batched = new Importer(App.Store, App.Reference, App.Figures.Measures, LedgerApp.DefaultApprovals, Clock, App.Bus)
        {
            SingleTransactionRows = 5,
            EventsPerCommit = 8,
            EnterprisesPerGroup = 2,
        };

        var finished = await ImportAsync(batched);

        finished.Resumed.ShouldBeTrue();
        finished.Commits.ShouldBeGreaterThan(1);
        (await Importer.UnfinishedAsync(App.Store.DataSource)).ShouldBeEmpty();
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'disbursement-paid'")).ShouldBe(4);
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'award-determined'")).ShouldBe(4);
        (await CountAsync("SELECT count(*) FROM mt_events WHERE type = 'import-finished'")).ShouldBe(1);
        (await App.Reports.TotalsAsync(new TotalsQuery(2022, "320205"))).Total.ShouldBe(Money.Of(700_000m));
        (await ImportAsync()).NewEvents.ShouldBe(0);
    }
}
