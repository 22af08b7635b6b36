using System.Text.Json;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using Ledger.Imports;
using Ledger.Tests.Support;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Designations;

/// <summary>The events that carry facts as of their dates: stable names, a round trip through the store's JSON, and events written before the new fields still load.</summary>
public class FactEventSerializationTests
{
    private static readonly EventTypeRegistry Registry = EventTypeRegistry.FromAssemblies(typeof(Money).Assembly);

    public static TheoryData<string, object> Events => new()
    {
        {
            "enterprise-relocated",
            new EnterpriseRelocated(DesignationFixtures.Enterprise, Xishan, Huishan, D(2023, 9, 1), "变更登记（2023）0815号",
                [new RecordedFact("renewal", DesignationFixtures.Id(), D(2023, 10, 8), Xishan)], new RelocationOverride("局长", "晚录入"), "clerk", At)
        },
        { "designation-recognized", DesignationFixtures.Recognized(historical: true, county: Huishan) },
        { "renewal-reviewed", DesignationFixtures.Renewal(RenewalOutcome.Passed, D(2025, 5, 20), D(2028, 5, 31), county: Huishan) },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Event_has_a_stable_name_and_survives_the_store_json(string name, object @event)
    {
        Registry.NameOf(@event.GetType()).ShouldBe(name);
        var json = JsonSerializer.Serialize(@event, @event.GetType(), LedgerJson.Options);
        var back = JsonSerializer.Deserialize(json, Registry.TypeOf(name), LedgerJson.Options)!;
        EventDump.Of([back]).ShouldBe(EventDump.Of([@event]), json);
    }

    [Fact]
    public void Skipped_rules_are_stored_under_the_names_the_audit_query_reads()
    {
        var json = JsonSerializer.Serialize(DesignationFixtures.Recognized(historical: true), LedgerJson.Options);

        json.ShouldContain("\"skippedRules\":[{\"rule\":\"declaration-and-reviews\",\"importBatch\":\"import-2024-03\",\"acceptedBy\":\"clerk-xishan\",\"detail\":");
        json.ShouldContain("\"authorityCode\":\"320000\"");
    }

    [Fact]
    public void A_recognition_stored_before_authorities_were_coded_and_imports_listed_their_skips_still_loads()
    {
        const string before = """
            {"designationId":"5e1f0a2b-0000-4000-8000-000000000001","enterpriseId":"5e1f0a2b-0000-4000-8000-000000000001","uscc":"91320205MA1MXXXX2B",
             "countyCode":"320205","tier":"provincial-srdi","round":1,"authority":"江苏省工业和信息化厅","documentNumber":"苏工信〔2022〕1号",
             "recognizedOn":"2022-06-01","validFrom":"2022-06-01","validTo":"2025-05-31","historical":true,"prerequisiteOverride":null,
             "actor":"clerk","recognizedAt":"2024-03-01T02:00:00Z"}
            """;

        var recognized = JsonSerializer.Deserialize<DesignationRecognized>(before, LedgerJson.Options)!;

        (recognized.Authority, recognized.AuthorityCode, recognized.ImportBatch, recognized.SkippedRules).ShouldBe(("江苏省工业和信息化厅", null, null, null));
        recognized.CountyCode.ShouldBe(Xishan);
    }

    [Fact]
    public void A_renewal_and_a_payment_stored_before_they_carried_a_county_still_load()
    {
        var renewal = JsonSerializer.Deserialize<RenewalReviewed>(
            """{"designationId":"5e1f0a2b-0000-4000-8000-000000000001","outcome":"passed","decidedOn":"2025-05-20","newValidTo":"2028-05-31","reviewer":"复审组","note":null,"actor":"clerk","reviewedAt":"2024-03-01T02:00:00Z"}""",
            LedgerJson.Options)!;
        var paid = JsonSerializer.Deserialize<DisbursementPaid>(
            """{"awardId":"5e1f0a2b-0000-4000-8000-000000000001","disbursementId":"5e1f0a2b-0000-4000-8000-000000000002","amount":100.00,"voucherNumber":"GK-1","valueDate":"2024-11-01","actor":"clerk","paidAt":"2024-03-01T02:00:00Z"}""",
            LedgerJson.Options)!;

        (renewal.CountyCode, renewal.Outcome).ShouldBe((null, RenewalOutcome.Passed));
        (paid.CountyCode, paid.ImportBatch, paid.SkippedRules, paid.ValueDate).ShouldBe((null, null, null, D(2024, 11, 1)));
    }
}
