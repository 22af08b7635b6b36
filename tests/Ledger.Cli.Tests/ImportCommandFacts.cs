using System.Text;
using System.Text.Json;
using Ledger.Enterprises;

namespace Ledger.Cli.Tests;

/// <summary><c>ledger import</c> through the command line: a folder imported, imported again as "0 new", a bad row refused with exit 2.</summary>
public sealed class ImportCommandFacts : CliDatabase
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-cli-import-{Guid.NewGuid():N}");

    private static readonly string Uscc = "91320205MA1Y00077" + Ledger.Enterprises.Uscc.CheckCharacter("91320205MA1Y00077");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Directory.CreateDirectory(_folder);
        Write("policies.csv",
            "policy_key,issuer_code,title,document_no,effective_from,applies_from,applies_to,stacking,tier,trigger,amount_yuan,amount_kind,funding_split,publicity_days",
            "xishan,320205,锡山区专精特新奖励,锡政发〔2021〕1号,2021-01-01,2021-01-01,,highest-only,provincial-srdi,recognition,300000,up-to,county:100,5");
        Write("enterprises.csv", "uscc,name,county_code,industry,bank_account",
            $"{Uscc},示例精密机械有限公司,320205,通用设备制造业,中国工商银行无锡锡山支行|示例精密机械有限公司|1103020109000000077");
        Write("budgets.csv", "division_code,year,funding_source,amount_yuan", "320205,2022,county,1000000");
        Write("recognitions.csv", "uscc,tier,trigger,decided_on,authority,document_no,valid_to",
            $"{Uscc},provincial-srdi,recognition,2022-01-20,江苏省工业和信息化厅,苏工信中小〔2022〕1号,");
        Write("payments.csv", "uscc,tier,trigger,decided_on,policy_key,amount_yuan,funding_source,paid_on,voucher_no",
            $"{Uscc},provincial-srdi,recognition,2022-01-20,xishan,300000,county,2022-03-15,XS-2022-0077");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private void Write(string file, params string[] lines) =>
        File.WriteAllText(Path.Combine(_folder, file), string.Join("\n", lines) + "\n", new UTF8Encoding(true));

    [Fact]
    public async Task A_folder_imports_then_imports_again_as_0_new_and_the_totals_show_it()
    {
        var (code, output, error) = await RunAsync("import", _folder, "--actor", "县财政局-王");

        code.ShouldBe(ExitCodes.Ok, error);
        output.ShouldContain("5 rows in 5 file(s)");
        output.ShouldContain("payments 1");
        var events = await EventsAsync();
        events.ShouldBeGreaterThan(0);

        var again = await RunAsync("import", _folder, "--format", "json");
        again.Code.ShouldBe(ExitCodes.Ok, again.Err);
        using var summary = JsonDocument.Parse(again.Out);
        summary.RootElement.GetProperty("newEvents").GetInt32().ShouldBe(0);
        summary.RootElement.GetProperty("new").GetProperty("held").GetInt32().ShouldBe(5);
        (await EventsAsync()).ShouldBe(events);

        var totals = await RunAsync("totals", "--year", "2022", "--jurisdiction", "320205", "--format", "json");
        using var document = JsonDocument.Parse(totals.Out);
        document.RootElement.GetProperty("totalYuan").GetString().ShouldBe("300000.00");
        var history = await RunAsync("history", Uscc, "--format", "json");
        history.Out.ShouldContain("县财政局-王");
    }

    [Fact]
    public async Task A_bad_row_exits_2_listing_file_line_and_column_and_writes_nothing()
    {
        Write("payments.csv", "uscc,tier,trigger,decided_on,policy_key,amount_yuan,funding_source,paid_on,voucher_no",
            $"{Uscc},provincial-srdi,recognition,2022-01-20,xishan,300000.001,county,2022-03-15,XS-2022-0077");

        var (code, output, error) = await RunAsync("import", _folder);

        code.ShouldBe(ExitCodes.BadInput);
        output.ShouldBeEmpty();
        error.ShouldContain("payments.csv:2: amount_yuan: '300000.001' has more than 2 decimal places");
        (await EventsAsync()).ShouldBe(0);
    }
}
