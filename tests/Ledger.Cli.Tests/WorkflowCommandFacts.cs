using System.Text.Json;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Reference;
using Ledger.Testing;
using NodaTime;

namespace Ledger.Cli.Tests;

/// <summary>
/// A payment moved through the approval workflow from the command line by two people: requested by a clerk, refused
/// when the clerk tries to approve it, approved by an approver, paid, and read back in the queue, the awards and the totals.
/// </summary>
public sealed class WorkflowCommandFacts : CliDatabase
{
    private static readonly int Year = SystemClock.Instance.GetCurrentInstant().InZone(ChinaTime.Zone).Year;
    private Guid _award;
    private string _treasury = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _treasury = Path.Combine(Path.GetTempPath(), $"ledger-treasury-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable("LEDGER_TREASURY", _treasury);
        await using var app = await LedgerApp.StartAsync(Database, ReferenceDataLoader.LoadDefault(), new LedgerAppOptions { TreasuryFolder = _treasury });
        (_, _award) = await XishanAwardAsync(app, Year, "91320205MA1W00001");
    }

    public override async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("LEDGER_TREASURY", null);
        await base.DisposeAsync();
        if (Directory.Exists(_treasury))
        {
            Directory.Delete(_treasury, recursive: true);
        }
    }

    [Fact]
    public async Task A_payment_moves_through_request_approval_by_a_second_person_and_payment()
    {
        var award = _award.ToString();
        var (requested, output, error) = await RunAsync("request", "--award", award, "--amount", "120000.50", "--level", "county", "--actor", "clerk-li", "--key", "req-1");
        requested.ShouldBe(ExitCodes.Ok, error);
        var id = output.Split(' ')[2];
        Guid.TryParse(id, out _).ShouldBeTrue(output);

        var events = await EventsAsync();
        var (retried, again, _) = await RunAsync("request", "--award", award, "--amount", "120000.50", "--level", "county", "--actor", "clerk-li", "--key", "req-1");
        retried.ShouldBe(ExitCodes.Ok);
        again.ShouldContain(id);
        (await EventsAsync()).ShouldBe(events, "a retry under its key appends nothing");

        var (reused, _, reuseError) = await RunAsync("request", "--award", award, "--amount", "1.00", "--level", "county", "--actor", "clerk-li", "--key", "req-1");
        reused.ShouldBe(ExitCodes.BadInput);
        reuseError.ShouldContain("req-1");

        var (queue, queued, _) = await RunAsync("approvals", "--jurisdiction", "320205", "--format", "json");
        queue.ShouldBe(ExitCodes.Ok);
        using (var json = JsonDocument.Parse(queued))
        {
            var item = json.RootElement.EnumerateArray().ShouldHaveSingleItem();
            (item.GetProperty("disbursementId").GetString(), item.GetProperty("amountYuan").GetString(), item.GetProperty("requester").GetString(), item.GetProperty("status").GetString())
                .ShouldBe((id, "120000.50", "clerk-li", "requested"));
        }

        var (self, _, selfError) = await RunAsync("approve", id, "--actor", "clerk-li");
        self.ShouldBe(ExitCodes.BadInput, selfError);
        selfError.ShouldContain("cannot also approve", Case.Insensitive, selfError);

        var (approved, _, approveError) = await RunAsync("approve", id, "--actor", "approver-wang");
        approved.ShouldBe(ExitCodes.Ok, approveError);
        approveError.ShouldContain("idempotency key cli-", Case.Sensitive, "a generated key is printed");

        var (weekend, _, weekendError) = await RunAsync("pay", id, "--voucher", "锡财〔2026〕0001", "--value-date", WeekendDay(), "--actor", "clerk-li");
        weekend.ShouldBe(ExitCodes.BadInput);
        weekendError.ShouldContain("working day");

        var (paid, _, payError) = await RunAsync("pay", id, "--voucher", "锡财〔2026〕0001", "--value-date", WorkingDay(), "--actor", "clerk-li");
        paid.ShouldBe(ExitCodes.Ok, payError);

        var (_, awards, _) = await RunAsync("awards", "--jurisdiction", "320205", "--format", "json");
        using (var json = JsonDocument.Parse(awards))
        {
            var line = json.RootElement.EnumerateArray().ShouldHaveSingleItem();
            (line.GetProperty("paidYuan").GetString(), line.GetProperty("leftToPayYuan").GetString()).ShouldBe(("120000.50", "179999.50"));
        }
        var (_, totals, _) = await RunAsync("totals", "--year", Year.ToString(System.Globalization.CultureInfo.InvariantCulture), "--jurisdiction", "320205", "--format", "json");
        using (var json = JsonDocument.Parse(totals))
        {
            json.RootElement.GetProperty("totalYuan").GetString().ShouldBe("120000.50");
        }
        (await RunAsync("approvals", "--jurisdiction", "320205", "--format", "json")).Out.Trim().ShouldBe("[]");
    }

    [Theory]
    [InlineData("request", "--award", "not-an-id", "--amount", "1", "--level", "county")]
    [InlineData("request", "--award", "00000000-0000-0000-0000-000000000001", "--amount", "1.001", "--level", "county")]
    [InlineData("request", "--award", "00000000-0000-0000-0000-000000000001", "--amount", "-5", "--level", "county")]
    [InlineData("request", "--award", "00000000-0000-0000-0000-000000000001", "--amount", "5", "--level", "town")]
    [InlineData("approve", "00000000-0000-0000-0000-000000000001")]
    [InlineData("pay", "00000000-0000-0000-0000-000000000001", "--voucher", "V", "--value-date", "2026-02-30")]
    [InlineData("awards", "--status", "lost")]
    public async Task Bad_input_exits_2_and_writes_nothing(params string[] args)
    {
        var events = await EventsAsync();
        var (code, _, error) = await RunAsync(args);

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldNotBeNullOrWhiteSpace();
        (await EventsAsync()).ShouldBe(events);
    }

    /// <summary>The last working day up to today (a payment's value date is never in the future).</summary>
    private static string WorkingDay() => Day(d => ReferenceDataLoader.LoadDefault().Calendar.IsWorkingDay(d));

    private static string WeekendDay() => Day(d => d.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday);

    private static string Day(Func<LocalDate, bool> wanted)
    {
        var day = SystemClock.Instance.GetCurrentInstant().InZone(ChinaTime.Zone).Date;
        while (!wanted(day) || day.Year != Year)
        {
            day = day.PlusDays(-1);
        }
        return NodaTime.Text.LocalDatePattern.Iso.Format(day);
    }
}
