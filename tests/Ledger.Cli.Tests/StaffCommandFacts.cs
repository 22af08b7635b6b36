using System.Globalization;
using System.Text.Json;
using Ledger.Disbursements;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Cli.Tests;

/// <summary>Revocation with clawback and repayment, budget lines, the expiry run and published figures from the command line.</summary>
public sealed class StaffCommandFacts : CliDatabase
{
    private static readonly LocalDate Today = SystemClock.Instance.GetCurrentInstant().InZone(ChinaTime.Zone).Date;
    private static readonly string Year = Today.Year.ToString(CultureInfo.InvariantCulture);
    private Guid _award;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var app = await LedgerApp.StartAsync(Database, ReferenceDataLoader.LoadDefault(), new LedgerAppOptions { TreasuryFolder = Path.Combine(Path.GetTempPath(), $"ledger-treasury-{Guid.NewGuid():N}") });
        (_, _award) = await XishanAwardAsync(app, Today.Year, "91320205MA1X00009");
        var disbursement = Guid.NewGuid();
        var clerk = new Caller("clerk-li", "clerk");
        await app.SendAsync(new RequestDisbursement(_award, disbursement, 200000m, FundingLevel.County, Today.Year, "", default), clerk);
        await app.SendAsync(new ApproveDisbursement(_award, disbursement, "", default), new Caller("approver-wang", "approver"));
        await app.SendAsync(new RecordDisbursementPayment(_award, disbursement, "锡财〔2026〕0100", WorkingDay(), "", default), clerk);
    }

    private static LocalDate WorkingDay()
    {
        var calendar = ReferenceDataLoader.LoadDefault().Calendar;
        var day = Today;
        while (!calendar.IsWorkingDay(day))
        {
            day = day.PlusDays(-1);
        }
        return day;
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var command = Database.Owner.CreateCommand(sql);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public async Task Revocation_with_clawback_and_a_repayment_show_in_the_totals_columns()
    {
        var designation = await ScalarAsync($"SELECT designation_id FROM awards WHERE award_id = '{_award}'");
        var day = LocalDatePattern.Iso.Format(WorkingDay());

        var (revoked, _, revokeError) = await RunAsync("revoke", designation, "--on", day, "--reason", "申报数据造假", "--clawback", "--actor", "admin-zhang");
        revoked.ShouldBe(ExitCodes.Ok, revokeError);
        var clawback = await ScalarAsync("SELECT data->>'clawbackId' FROM mt_events WHERE type = 'clawback-demanded'");

        var (repaid, _, repayError) = await RunAsync("repay", _award.ToString(), clawback, "--amount", "50000", "--value-date", day, "--voucher", "锡财缴〔2026〕1", "--actor", "clerk-li");
        repaid.ShouldBe(ExitCodes.Ok, repayError);
        var (over, _, overError) = await RunAsync("repay", _award.ToString(), clawback, "--amount", "150000.01", "--value-date", day, "--voucher", "锡财缴〔2026〕2");
        over.ShouldBe(ExitCodes.BadInput, overError);

        var (_, totals, _) = await RunAsync("totals", "--year", Year, "--jurisdiction", "320205", "--format", "json");
        using var json = JsonDocument.Parse(totals);
        var root = json.RootElement;
        (root.GetProperty("paidYuan").GetString(), root.GetProperty("clawedBackYuan").GetString(), root.GetProperty("repaidYuan").GetString(),
            root.GetProperty("returnedYuan").GetString(), root.GetProperty("totalYuan").GetString())
            .ShouldBe(("200000.00", "200000.00", "50000.00", "0.00", "150000.00"));
        (await ScalarAsync("SELECT status FROM awards")).ShouldBe("cancelled");
    }

    [Fact]
    public async Task Budget_lines_are_appropriated_and_adjusted_and_a_cut_below_what_is_used_is_refused()
    {
        var (appropriated, output, error) = await RunAsync("budget-appropriate", "--division", "320205", "--year", "2030", "--level", "county", "--amount", "500000");
        appropriated.ShouldBe(ExitCodes.Ok, error);
        output.ShouldContain("available 500000.00");
        var (adjusted, adjustOutput, _) = await RunAsync("budget-adjust", "--division", "320205", "--year", "2030", "--level", "county", "--delta=-120000.50", "--reason", "预算调减");
        adjusted.ShouldBe(ExitCodes.Ok);
        adjustOutput.ShouldContain("available 379999.50");
        var (cut, _, cutError) = await RunAsync("budget-adjust", "--division", "320205", "--year", Year, "--level", "county", "--delta=-900000", "--reason", "调减");
        cut.ShouldBe(ExitCodes.BadInput, cutError);
    }

    [Fact]
    public async Task Published_figures_load_from_a_file_once_and_a_revision_supersedes_the_recorded_one()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "published-figures.csv");
        var (loaded, output, error) = await RunAsync("figure", "load", file);
        loaded.ShouldBe(ExitCodes.Ok, error);
        output.ShouldContain("6 figure(s) read, 6 new");
        (await RunAsync("figure", "load", file)).Out.ShouldContain("0 new");

        var (revised, _, reviseError) = await RunAsync("figure", "revise", "--jurisdiction", "320205", "--year", "2022", "--measure", "srdi_reward_total",
            "--basis", "paid", "--value", "37200000", "--source", "区财政决算", "--reason", "决算数");
        revised.ShouldBe(ExitCodes.Ok, reviseError);
        var (_, reconcile, _) = await RunAsync("reconcile", "--jurisdiction", "320205", "--year", "2022", "--format", "json");
        JsonDocument.Parse(reconcile).RootElement.GetProperty("publishedYuan").GetString().ShouldBe("37200000.00");

        var (expired, expiredOutput, expireError) = await RunAsync("expire", "--as-of", "2030-01-01");
        expired.ShouldBe(ExitCodes.Ok, expireError);
        expiredOutput.ShouldContain("1 designation(s) expired");
    }
}
