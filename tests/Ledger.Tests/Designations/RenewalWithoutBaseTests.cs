using Ledger.Awards;
using Ledger.Designations;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Designations.DesignationFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Designations;

/// <summary>
/// A renewal imported without the base designation it renews (county books often list only the latest round): it
/// starts the designation, records the rule it skipped on its event, and earns the renewal award; where the ledger holds
/// the base, or the tier did not exist on the date, it is refused.
/// </summary>
public sealed class RenewalWithoutBaseTests : LedgerFixture
{
    private static ImportRenewalWithoutBase Command(string tier, LocalDate on, Guid? enterprise = null) =>
        new(enterprise ?? DesignationFixtures.Enterprise, tier, on, null, "江苏省工业和信息化厅", "importer", At, new HistoricalImport("batch-7"));

    [Fact]
    public void Decided_without_a_base_it_starts_round_one_valid_for_the_tier_s_years_and_names_the_skipped_rule()
    {
        var imported = Spec.Given(Registered())
            .When(h => DesignationDecider.Decide(Command(Provincial, D(2023, 5, 20)), Firm(h), h.Designations(), Data))
            .ThenSingle<RenewalImportedWithoutBase>();

        (imported.Round, imported.DecidedOn, imported.ValidTo, imported.CountyCode).ShouldBe((1, D(2023, 5, 20), D(2026, 5, 19), Xishan));
        var rule = imported.SkippedRules.ShouldHaveSingleItem();
        (rule.Rule, rule.ImportBatch, rule.AcceptedBy).ShouldBe((ImportRule.RenewalWithoutBase, "batch-7", "importer"));
        rule.Detail.ShouldContain("no earlier designation of provincial-srdi");
        var state = new History([Registered(), imported]).Designation(imported.DesignationId);
        (state.Status, state.IsValidOn(D(2025, 1, 1)), state.Renewals).ShouldBe((DesignationStatus.Recognized, true, 1));
    }

    [Fact]
    public void A_renewal_whose_base_the_ledger_holds_is_refused_naming_the_designation() =>
        Spec.Given([Registered(), .. InStatus(DesignationStatus.Recognized)])
            .When(h => DesignationDecider.Decide(Command(Provincial, D(2025, 5, 20)), Firm(h), h.Designations(), Data))
            .ThenFails("designation.base-exists")
            .Message.ShouldContain(Id().ToString());

    [Fact]
    public void A_renewal_dated_before_its_tier_existed_is_refused_naming_the_tier() =>
        Spec.Given(Registered())
            .When(h => DesignationDecider.Decide(Command("innovative-sme", D(2018, 5, 20)), Firm(h), h.Designations(), Data))
            .ThenFails("designation.tier-not-in-force")
            .Message.ShouldContain("innovative-sme");

    [Fact]
    public async Task Imported_on_PostgreSQL_it_earns_the_renewal_award_is_listed_for_its_batch_and_shows_in_the_history()
    {
        await App.SendAsync(new IssueAwardPolicy(Xishan, "无锡市锡山区", TestPolicies.XishanDraft, "admin", Now), As("admin", "admin"));
        var enterprise = await RegisterAsync(Xishan);
        var uscc = (await App.Enterprises.LoadAsync(enterprise)).State!.Uscc;

        var designation = await App.SendAsync(new ImportRenewalWithoutBase(enterprise, Provincial, D(2023, 5, 20), null, "江苏省工业和信息化厅", "", default,
            new HistoricalImport("batch-renewals")), As("importer-wu"));

        var award = (await AwardsOfAsync(enterprise)).ShouldHaveSingleItem();
        (award.DesignationId, award.Rule.Trigger, award.Amount, award.DeterminationDate).ShouldBe((designation, AwardTrigger.Renewal, Money.Of(100_000m), D(2023, 5, 20)));
        var skipped = (await App.Imports.SkippedRulesAsync("batch-renewals")).ShouldHaveSingleItem();
        (skipped.StreamId, skipped.Rule).ShouldBe((designation, ImportRule.RenewalWithoutBase));
        var history = await App.Reports.HistoryAsync(uscc);
        history.Lines.Select(l => l.Kind).ShouldBe(["enterprise-registered", "renewal-imported-without-base", "award-determined"]);
        history.Lines[1].Detail.ShouldContain("not checked: renewal-without-base");
        (await App.Reports.StockAsync(Xishan, 2024, ["provincial-srdi"], await App.Reports.PointAsync(null, CancellationToken.None))).ShouldBe(1);

        var again = await Should.ThrowAsync<DomainException>(() => App.SendAsync(new ImportRenewalWithoutBase(enterprise, Provincial, D(2023, 6, 1), null,
            "江苏省工业和信息化厅", "", default, new HistoricalImport("batch-renewals")), As("importer-wu")));
        again.Code.ShouldBe("designation.base-exists");
    }
}
