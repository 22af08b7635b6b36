using System.Text.Json;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Reference;
using Ledger.Testing;
using NodaTime;
using NodaTime.Testing;

namespace Ledger.Cli.Tests;

/// <summary>The reading commands end to end: one provincial award of 300,000 in Xishan, recognised and paid in 2022.</summary>
public sealed class ReportCommandFacts : CliDatabase
{
    private string _uscc = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var clock = new FakeClock(Instant.FromUtc(2022, 3, 1, 2, 0));
        await using var app = await LedgerApp.StartAsync(Database, ReferenceDataLoader.LoadDefault(), new LedgerAppOptions { Clock = clock });
        var clerk = new Caller("clerk-li", "clerk");
        (_uscc, var award) = await XishanAwardAsync(app, 2022);
        var disbursement = Guid.NewGuid();
        await app.SendAsync(new RequestDisbursement(award, disbursement, 300000m, FundingLevel.County, 2022, "", default), clerk);
        await app.SendAsync(new ApproveDisbursement(award, disbursement, "", default), new Caller("approver-wang", "approver"));
        await app.SendAsync(new RecordDisbursementPayment(award, disbursement, "锡财〔2022〕0001", new LocalDate(2022, 3, 1), "", default), clerk);
    }

    [Fact]
    public async Task Totals_in_json_is_one_document_with_amounts_as_strings_of_two_decimals()
    {
        var (code, output, error) = await RunAsync("totals", "--year", "2022", "--jurisdiction", "320205", "--format", "json");

        code.ShouldBe(ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        (root.GetProperty("jurisdiction").GetString(), root.GetProperty("year").GetInt32(), root.GetProperty("basis").GetString()).ShouldBe(("320205", 2022, "paid"));
        (root.GetProperty("totalYuan").GetString(), root.GetProperty("paidYuan").GetString(), root.GetProperty("returnedYuan").GetString(), root.GetProperty("repaidYuan").GetString())
            .ShouldBe(("300000.00", "300000.00", "0.00", "0.00"));
        var row = root.GetProperty("rows").EnumerateArray().ShouldHaveSingleItem();
        (row.GetProperty("key").GetString(), row.GetProperty("totalYuan").GetString(), row.GetProperty("enterprises").GetInt32()).ShouldBe(("320205", "300000.00", 1));
    }

    [Fact]
    public async Task Totals_in_csv_starts_with_a_byte_order_mark_and_in_a_table_names_the_county()
    {
        var (csvCode, csv, _) = await RunAsync("totals", "--year", "2022", "--jurisdiction", "320200", "--format", "csv", "--by", "tier");
        csvCode.ShouldBe(ExitCodes.Ok);
        csv[0].ShouldBe('\uFEFF');
        csv.ShouldContain("tier,name,total_yuan");
        csv.ShouldContain("provincial-srdi,");

        var (code, table, _) = await RunAsync("totals", "--year", "2022", "--jurisdiction", "320205");
        code.ShouldBe(ExitCodes.Ok);
        table.ShouldContain("锡山区");
        table.ShouldContain("300000.00");
    }

    [Fact]
    public async Task Reconcile_exits_0_when_reconciled_and_1_with_a_variance()
    {
        var (ok, output, _) = await RunAsync("reconcile", "--jurisdiction", "320205", "--year", "2022", "--published", "300000", "--format", "json");
        ok.ShouldBe(ExitCodes.Ok);
        using (var json = JsonDocument.Parse(output))
        {
            (json.RootElement.GetProperty("ledgerTotalYuan").GetString(), json.RootElement.GetProperty("varianceYuan").GetString(), json.RootElement.GetProperty("reconciled").GetBoolean())
                .ShouldBe(("300000.00", "0.00", true));
            json.RootElement.GetProperty("awards").GetArrayLength().ShouldBe(1);
        }

        var (variance, text, _) = await RunAsync("reconcile", "--jurisdiction", "320205", "--year", "2022", "--published", "300000.01");
        variance.ShouldBe(ExitCodes.CheckFailed);
        text.ShouldContain("NOT reconciled");
        text.ShouldContain("-0.01");

        var (none, _, error) = await RunAsync("reconcile", "--jurisdiction", "320205", "--year", "2022");
        none.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain("no figure");
    }

    [Fact]
    public async Task History_lists_the_steps_and_as_of_before_the_first_event_finds_nothing()
    {
        var (code, output, _) = await RunAsync("history", _uscc, "--format", "json");
        code.ShouldBe(ExitCodes.Ok);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("kind").GetString()).ShouldBe([
            "enterprise-registered", "designation-recognized", "award-determined", "disbursement-requested", "disbursement-approved", "disbursement-paid"]);

        var (early, _, error) = await RunAsync("history", _uscc, "--as-of", "2000-01-01T00:00:00+08:00");
        early.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain("was not registered as of");
    }

    [Theory]
    [InlineData("totals", "--year", "2022", "--as-of", "yesterday")]
    [InlineData("totals", "--year", "2022", "--jurisdiction", "999999")]
    [InlineData("totals", "--year", "2022", "--by", "month")]
    [InlineData("totals", "--jurisdiction", "320205")]
    [InlineData("history", "91320205-not-a-uscc")]
    [InlineData("reconcile", "--jurisdiction", "320205", "--year", "2022", "--published", "1.005")]
    public async Task Bad_input_exits_2_naming_what_is_wrong(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldNotBeNullOrWhiteSpace();
    }
}
