using System.Text.Json;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Disbursements;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using Ledger.Policies;
using Ledger.Tests.Support;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Disbursements;

public class EventSerializationTests
{
    private static readonly Guid AwardId = LittleGiantAward.AwardId;

    public static TheoryData<string, object> Events => new()
    {
        { "disbursement-requested", Requested(LittleGiantAward, D1, 1234.56m, FundingLevel.City) },
        { "disbursement-approved", new DisbursementApproved(AwardId, D1, "王科长", 2, true, true, "import-1", [new Ledger.Imports.SkippedRule("paper-approval", "import-1", "importer", "纸质审批")], "importer", Now) },
        { "disbursement-rejected", new DisbursementRejected(AwardId, D1, "材料不全", ApproverWang, Now) },
        { "disbursement-cancelled", new DisbursementCancelled(AwardId, D1, "撤回", Clerk, Now) },
        { "disbursement-paid", new DisbursementPaid(AwardId, D1, Money.Of(0.01m), "GK-1", D(2024, 11, 1), Haiyan, "import-1", [new Ledger.Imports.SkippedRule("value-date-working-day", "import-1", Clerk, "非工作日")], Clerk, Now) },
        { "disbursement-returned", new DisbursementReturned(AwardId, D1, Money.Of(0.01m), D(2025, 1, 6), "退汇", Clerk, Now) },
        { "clawback-demanded", new ClawbackDemanded(AwardId, C1, FundingLevel.County, Haiyan, Money.Of(10m), "造假", "admin", Now) },
        { "clawback-repaid", new ClawbackRepaid(AwardId, C1, Money.Of(5m), D(2025, 3, 3), "JK-1", Clerk, Now) },
        { "budget-appropriated", Appropriated(HaiyanCounty2024, 1_000_000m) },
        { "budget-adjusted", new BudgetAdjusted(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, Money.Of(-5m), "调减", "admin", Now) },
        { "budget-reserved", Reserved(LittleGiantAward, D1, 5m, HaiyanCounty2024) },
        { "budget-reservation-released", new BudgetReservationReleased(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, AwardId, Money.Of(5m), ReleaseReason.Revoked, "x", Now) },
        { "budget-paid", new BudgetPaid(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, AwardId, Money.Of(5m), D(2024, 11, 1), Clerk, Now) },
        { "budget-returned", new BudgetReturned(BudgetLineKey.StreamId(HaiyanCounty2025), HaiyanCounty2025, D1, AwardId, Money.Of(5m), D(2025, 1, 6), Clerk, Now) },
        { "budget-clawback-credited", new BudgetClawbackCredited(BudgetLineKey.StreamId(HaiyanCounty2025), HaiyanCounty2025, C1, AwardId, Money.Of(5m), D(2025, 3, 3), Clerk, Now) },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Event_has_a_stable_name_and_survives_the_store_json(string name, object @event)
    {
        var registry = EventTypeRegistry.FromAssemblies(typeof(Money).Assembly);
        registry.NameOf(@event.GetType()).ShouldBe(name);
        var json = JsonSerializer.Serialize(@event, @event.GetType(), LedgerJson.Options);
        var back = JsonSerializer.Deserialize(json, registry.TypeOf(name), LedgerJson.Options)!;
        EventDump.Of([back]).ShouldBe(EventDump.Of([@event]), json);
    }

    [Fact]
    public void Levels_and_release_reasons_are_stored_by_name() =>
        JsonSerializer.Serialize(
                new BudgetReservationReleased(BudgetLineKey.StreamId(HaiyanCounty2024), HaiyanCounty2024, D1, AwardId, Money.Of(5m), ReleaseReason.Revoked, "x", Now),
                LedgerJson.Options)
            .ShouldContain("\"line\":{\"divisionCode\":\"330424\",\"fiscalYear\":2024,\"level\":\"county\"}");
}
