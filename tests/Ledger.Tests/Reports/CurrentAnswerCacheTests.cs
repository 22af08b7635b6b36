using Ledger.Budgets;
using Ledger.Disbursements;
using Ledger.Policies;
using Ledger.ReadModels;
using Ledger.Reports;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Reports;

/// <summary>
/// Current totals and histories are answered from the reader's cache while the chain's head stays where it was read;
/// any commit moves the head, so a write after a cached read is in the next read. As-of answers are never cached.
/// </summary>
public sealed class CurrentAnswerCacheTests : LedgerFixture
{
    private static readonly Caller Admin = new("admin", "admin");
    private static readonly Caller Clerk = new("clerk-li", "clerk");

    private async Task<(string Uscc, Guid Award)> AwardAsync()
    {
        var enterprise = await RegisterAsync(TestReference.Xishan, "示例精密机械有限公司", withBankAccount: true);
        await ImportRecognitionAsync(enterprise, "provincial-srdi", new LocalDate(2024, 1, 10));
        var uscc = (await App.Enterprises.LoadAsync(enterprise)).State!.Uscc;
        return (uscc, (await AwardsOfAsync(enterprise)).Single().AwardId);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await App.SendAsync(TestPolicies.IssueXishan, Admin);
        await App.SendAsync(new AppropriateBudget(new BudgetLineKey(TestReference.Xishan, 2024, FundingLevel.County), 10_000_000m, "", default), Admin);
    }

    [Fact]
    public async Task Totals_read_again_with_no_commit_between_are_the_cached_answer_and_a_commit_after_them_is_in_the_next_read()
    {
        await AwardAsync();
        var query = new TotalsQuery(2024, TestReference.Xishan, Basis: TotalsBasis.Determined);

        var first = await App.Reports.TotalsAsync(query);
        var again = await App.Reports.TotalsAsync(query with { });

        again.ShouldBeSameAs(first);
        first.Amounts.Awards.ShouldBe(1);

        await AwardAsync();
        var after = await App.Reports.TotalsAsync(query);

        after.ShouldNotBeSameAs(first);
        after.Amounts.Awards.ShouldBe(2);
        after.Amounts.Determined.ShouldBe(first.Amounts.Determined + first.Amounts.Determined);
        after.Point.Position.ShouldBeGreaterThan(first.Point.Position);
        (await App.Reports.TotalsAsync(query)).ShouldBeSameAs(after);
    }

    [Fact]
    public async Task A_write_to_another_stream_than_the_report_reads_moves_the_head_and_the_next_read_reads_again()
    {
        await AwardAsync();
        var query = new TotalsQuery(2024, TestReference.Xishan, Basis: TotalsBasis.Paid);
        var first = await App.Reports.TotalsAsync(query);

        await App.SendAsync(new AppropriateBudget(new BudgetLineKey(TestReference.Xishan, 2025, FundingLevel.County), 1_000m, "", default), Admin);
        var after = await App.Reports.TotalsAsync(query);

        after.ShouldNotBeSameAs(first);
        after.Point.Position.ShouldBeGreaterThan(first.Point.Position);
        after.Amounts.ShouldBe(first.Amounts);
    }

    [Fact]
    public async Task A_history_read_again_is_the_cached_answer_until_a_command_on_the_enterprise_adds_its_line()
    {
        var (uscc, award) = await AwardAsync();
        var first = await App.Reports.HistoryAsync(uscc);
        (await App.Reports.HistoryAsync(uscc)).ShouldBeSameAs(first);

        await App.SendAsync(new RequestDisbursement(award, Guid.NewGuid(), 1_000m, FundingLevel.County, 2024, "", default), Clerk);
        var after = await App.Reports.HistoryAsync(uscc);

        after.Lines.Count.ShouldBe(first.Lines.Count + 1);
        after.Lines[^1].Kind.ShouldBe("disbursement-requested");
        // The scope check is made on the cached answer too.
        (await App.Reports.HistoryWithinAsync(uscc, "330424")).ShouldBeNull();
        (await App.Reports.HistoryWithinAsync(uscc, TestReference.Xishan)).ShouldBeSameAs(after);
    }

    [Fact]
    public async Task A_rebuild_that_replaces_a_wrong_read_table_is_in_the_next_read_though_no_event_moved_the_head()
    {
        await AwardAsync();
        var query = new TotalsQuery(2024, TestReference.Xishan, Basis: TotalsBasis.Determined);
        var right = await App.Reports.TotalsAsync(query);
        await using (var command = Database.Owner.CreateCommand("UPDATE annual_totals SET determined = determined + 0.01 WHERE determined > 0"))
        {
            (await command.ExecuteNonQueryAsync()).ShouldBeGreaterThan(0);
        }
        // A write outside any event (as a projection's bug would make) is not seen while the head stays...
        (await App.Reports.TotalsAsync(query)).ShouldBeSameAs(right);
        var wrong = await App.Reports.TotalsAsync(query with { By = TotalsBy.Tier });
        wrong.Amounts.Determined.ShouldBe(right.Amounts.Determined + Money.Of(0.01m));

        (await new ReadModelRebuild(Database.Owner, LedgerApp.EventTypes, ReadProjections.All).RunAsync()).Identical.ShouldBeFalse();

        // ...and the rebuilt tables, swapped in without an event, are read again.
        (await App.Reports.TotalsAsync(query with { By = TotalsBy.Tier })).Amounts.Determined.ShouldBe(right.Amounts.Determined);
    }

    [Fact]
    public async Task As_of_answers_are_read_each_time()
    {
        var (uscc, _) = await AwardAsync();
        // Chain instants are the database's; a future instant is read as now.
        var asOf = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(1);
        var query = new TotalsQuery(2024, TestReference.Xishan, Basis: TotalsBasis.Determined, AsOf: asOf);

        var first = await App.Reports.TotalsAsync(query);
        var again = await App.Reports.TotalsAsync(query);
        var history = await App.Reports.HistoryAsync(uscc, asOf);

        again.ShouldNotBeSameAs(first);
        again.Amounts.ShouldBe(first.Amounts);
        (await App.Reports.HistoryAsync(uscc, asOf)).ShouldNotBeSameAs(history);
    }
}
