using Ledger.Awards;
using Ledger.Designations;
using EnterpriseRelocated = Ledger.Enterprises.EnterpriseRelocated;
using Ledger.Imports;
using Ledger.Tests.Support;
using static Ledger.Tests.Designations.DesignationFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Designations;

/// <summary>
/// Facts as of their dates (docs/rules.md): the county of the fact's own date, the tier's life, the authority that
/// recognises the tier there, and the rules an import skips, recorded on the event.
/// </summary>
public class FactsAsOfTheirDatesTests
{
    private static EnterpriseRelocated MovedToHuishan(NodaTime.LocalDate on) =>
        new(Enterprise, Xishan, Huishan, on, "变更登记（2023）0815号", [], null, Clerk, At);

    private static HistoricalImport Import => new(Batch);

    // ---- 1. County as of the fact ----

    [Fact]
    public void A_recognition_takes_the_county_the_enterprise_was_in_on_the_recognition_date_not_the_declarations() =>
        Spec.Given(Registered(), InnovativeHeld(), Declared(), Reviewed(), MovedToHuishan(D(2022, 5, 1)))
            .When(h => DesignationDecider.Decide(Recognize(), Firm(h), h.Designations(), Data))
            .Then(Recognized(county: Huishan));

    [Fact]
    public void An_imported_recognition_dated_before_a_move_stays_with_the_county_it_was_in_then() =>
        Spec.Given(Registered(), MovedToHuishan(D(2023, 9, 1)))
            .When(h => DesignationDecider.Decide(Recognize(Innovative, on: D(2022, 6, 1), historical: Import), Firm(h), h.Designations(), Data))
            .Then(InnovativeHeld());

    [Fact]
    public void An_imported_recognition_dated_on_the_day_of_a_move_belongs_to_the_new_county() =>
        Spec.Given(Registered(), MovedToHuishan(D(2023, 9, 1)))
            .When(h => DesignationDecider.Decide(Recognize(Innovative, on: D(2023, 9, 1), historical: Import), Firm(h), h.Designations(), Data))
            .Then(Recognized(Innovative, on: D(2023, 9, 1), historical: true, county: Huishan));

    [Fact]
    public void A_renewal_after_a_move_carries_the_new_county_and_its_award_goes_by_it()
    {
        var renewal = Spec.Given([Registered(), .. InStatus(DesignationStatus.Recognized), MovedToHuishan(D(2023, 9, 1))])
            .When(h => DesignationDecider.Decide(RenewalCommand(RenewalOutcome.Passed, D(2025, 5, 20)), h.Designation(Id()), false, Firm(h), Data))
            .ThenSingle<RenewalReviewed>();

        renewal.ShouldBe(Renewal(RenewalOutcome.Passed, D(2025, 5, 20), D(2028, 5, 31), county: Huishan));
        var designation = new History(InStatus(DesignationStatus.Recognized)).Designation(Id());
        designation.CountyCode.ShouldBe(Xishan);
        AwardTriggerFact.Renewal(designation, renewal).CountyCode.ShouldBe(Huishan);
    }

    [Fact]
    public void A_renewal_recorded_before_renewals_carried_a_county_goes_by_the_designations()
    {
        var designation = new History(InStatus(DesignationStatus.Recognized)).Designation(Id());

        AwardTriggerFact.Renewal(designation, Renewal(RenewalOutcome.Passed, D(2025, 5, 20), D(2028, 5, 31)) with { CountyCode = null })
            .CountyCode.ShouldBe(Xishan);
    }

    // ---- 2. Tiers have a life ----

    [Fact]
    public void An_imported_recognition_dated_before_its_tier_existed_is_refused_naming_the_tier_and_its_dates() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Recognize(Innovative, on: D(2018, 6, 1), historical: Import), Firm(h), h.Designations(), Data))
            .ThenFails("designation.tier-not-in-force")
            .Message.ShouldBe("recognizedOn: 2018-06-01 is outside the life of tier innovative-sme (创新型中小企业), which exists from 2022-06-01 (工信部企业〔2022〕63号); check the date, or the tier (a designation of that day was of another tier).");

    [Fact]
    public void A_recognition_on_the_first_day_of_its_tier_is_accepted() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Recognize(Innovative, on: D(2022, 6, 1), historical: Import), Firm(h), h.Designations(), Data))
            .ThenSingle<DesignationRecognized>().RecognizedOn.ShouldBe(D(2022, 6, 1));

    [Fact]
    public void A_recognition_after_its_tier_ended_is_refused_naming_both_ends() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Recognize("provincial-tech-sme", on: D(2022, 1, 1), historical: Import), Firm(h), h.Designations(), Data))
            .ThenFails("designation.tier-not-in-force")
            .Message.ShouldContain("2022-01-01 is outside the life of tier provincial-tech-sme (省级科技型中小企业), which exists from 2017-01-01 (试点通知) until 2021-12-31 (废止通知)");

    [Fact]
    public void A_recognition_on_the_last_day_of_its_tier_is_accepted() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Recognize("provincial-tech-sme", on: D(2021, 12, 31), historical: Import), Firm(h), h.Designations(), Data))
            .ThenSingle<DesignationRecognized>().Tier.ShouldBe("provincial-tech-sme");

    [Fact]
    public void A_declaration_for_a_tier_that_does_not_exist_yet_is_refused() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Submit(Innovative, on: D(2021, 3, 1)), h.Designations(), Data))
            .ThenFails("designation.tier-not-in-force")
            .Message.ShouldStartWith("declaredOn: 2021-03-01 is outside the life of tier innovative-sme");

    [Fact]
    public void A_prerequisite_whose_tier_did_not_exist_on_the_recognition_date_is_not_required() =>
        Spec.Given(
                Declared(on: D(2021, 3, 1)),
                new DeclarationReviewed(Id(), ReviewLevel.County, ReviewOutcome.Recommended, "reviewer-county", null, D(2021, 4, 1), Clerk, At))
            .When(h => DesignationDecider.Decide(Recognize(on: D(2021, 6, 1)), Firm(h), h.Designations(), Data))
            .Then(Recognized(on: D(2021, 6, 1)));

    // ---- 3. The recognising authority matches the tier and the place ----

    [Fact]
    public void A_provincial_tier_recognised_by_another_province_is_refused_naming_both() =>
        Spec.Given(InStatus(DesignationStatus.Recommended))
            .When(h => DesignationDecider.Decide(Recognize(authority: new RecognisingAuthority("330000", "浙江省经信厅")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.authority-mismatch")
            .Message.ShouldBe("authority: 浙江省经信厅 (330000 浙江省) cannot recognise provincial-srdi for an enterprise in 320205 锡山区 on 2022-06-01: provincial-srdi is recognised at provincial level, here by 320000 江苏省. Name that authority, or check the tier and the enterprise's county on that date.");

    [Fact]
    public void The_recognition_records_the_authoritys_code_beside_its_printed_name() =>
        Spec.Given(InStatus(DesignationStatus.Recommended))
            .When(h => DesignationDecider.Decide(Recognize(authority: new RecognisingAuthority(" 320000 ", "江苏省工信厅")), Firm(h), h.Designations(), Data))
            .ThenSingle<DesignationRecognized>()
            .ShouldSatisfyAllConditions(
                r => r.AuthorityCode.ShouldBe("320000"),
                r => r.Authority.ShouldBe("江苏省工信厅"));

    [Fact]
    public void A_national_tier_is_recognised_by_MIIT_and_by_nobody_else()
    {
        Spec.Given()
            .When(h => DesignationDecider.Decide(
                Recognize(LittleGiant, on: D(2023, 7, 1), historical: Import, authority: new RecognisingAuthority("100000", "工业和信息化部")), Firm(h), h.Designations(), Data))
            .ThenSingle<DesignationRecognized>().AuthorityCode.ShouldBe("100000");
        Spec.Given()
            .When(h => DesignationDecider.Decide(
                Recognize(LittleGiant, on: D(2023, 7, 1), historical: Import, authority: new RecognisingAuthority("320000", "江苏省工业和信息化厅")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.authority-mismatch")
            .Message.ShouldContain("national-little-giant is recognised at national level, here by 100000 中华人民共和国");
    }

    [Fact]
    public void A_municipal_tier_is_recognised_by_the_enterprises_city_not_another()
    {
        Spec.Given()
            .When(h => DesignationDecider.Decide(
                Recognize(Municipal, on: D(2023, 5, 1), historical: Import, authority: new RecognisingAuthority("320200", "无锡市工业和信息化局")), Firm(h), h.Designations(), Data))
            .ThenSingle<DesignationRecognized>().AuthorityCode.ShouldBe("320200");
        Spec.Given()
            .When(h => DesignationDecider.Decide(
                Recognize(Municipal, on: D(2023, 5, 1), historical: Import, authority: new RecognisingAuthority("320500", "苏州市工业和信息化局")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.authority-mismatch")
            .Message.ShouldContain("苏州市工业和信息化局 (320500 苏州市) cannot recognise municipal-srdi for an enterprise in 320205 锡山区 on 2023-05-01: municipal-srdi is recognised at municipal level, here by 320200 无锡市");
    }

    [Fact]
    public void The_authority_is_checked_against_the_place_the_enterprise_was_on_the_recognition_date() =>
        Spec.Given(Registered(), new EnterpriseRelocated(Enterprise, Xishan, Haiyan, D(2023, 1, 1), "跨省迁移登记", [], null, Clerk, At))
            .When(h => DesignationDecider.Decide(
                Recognize(on: D(2024, 6, 1), historical: Import, authority: new RecognisingAuthority("320000", "江苏省工业和信息化厅")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.authority-mismatch")
            .Message.ShouldContain("for an enterprise in 330424 海盐县 on 2024-06-01: provincial-srdi is recognised at provincial level, here by 330000 浙江省");

    [Fact]
    public void An_authority_code_that_is_no_division_is_refused() =>
        Spec.Given(InStatus(DesignationStatus.Recommended))
            .When(h => DesignationDecider.Decide(Recognize(authority: new RecognisingAuthority("999999", "某省工信厅")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.unknown-authority")
            .Message.ShouldContain("authority.divisionCode: 999999 (某省工信厅) is not a division of the reference data");

    [Fact]
    public void An_authority_given_by_name_only_is_refused() =>
        Spec.Given(InStatus(DesignationStatus.Recommended))
            .When(h => DesignationDecider.Decide(Recognize(authority: new RecognisingAuthority("", "江苏省工业和信息化厅")), Firm(h), h.Designations(), Data))
            .ThenFails("division.required")
            .Message.ShouldStartWith("authority.divisionCode: a division code (6 digits, GB/T 2260) is required.");

    [Fact]
    public void An_import_naming_the_wrong_authority_is_a_row_error() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(
                Recognize(on: D(2021, 6, 1), historical: Import, authority: new RecognisingAuthority("330000", "浙江省经济和信息化厅")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.authority-mismatch");

    // ---- 5. Historical imports leave a trace ----

    [Fact]
    public void An_import_records_the_missing_declaration_and_the_missing_prerequisite_with_its_batch_and_user() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Recognize(historical: Import), Firm(h), h.Designations(), Data))
            .Then(Recognized(historical: true, alsoSkipped:
                new SkippedRule(ImportRule.Prerequisite, Batch, Clerk, "provincial-srdi requires a designation valid on 2022-06-01 of innovative-sme; the ledger holds none")));

    [Fact]
    public void An_import_whose_prerequisite_is_held_records_only_the_missing_declaration() =>
        Spec.Given(InnovativeHeld())
            .When(h => DesignationDecider.Decide(Recognize(historical: Import), Firm(h), h.Designations(), Data))
            .ThenSingle<DesignationRecognized>().SkippedRules!.Select(r => r.Rule).ShouldBe([ImportRule.DeclarationAndReviews]);

    [Fact]
    public void An_import_without_a_batch_is_refused() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Recognize(Innovative, on: D(2022, 6, 1), historical: new HistoricalImport(" ")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.field-required")
            .Message.ShouldContain("historical.importBatch");

    [Fact]
    public void An_import_takes_no_prerequisite_override_it_records_the_gap_itself() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(
                Recognize(historical: Import, prerequisiteOverride: new PrerequisiteOverride("局长王某", "纸质档案")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.override-in-import");

    [Fact]
    public void A_live_recognition_skips_no_rule_and_names_no_batch() =>
        Spec.Given(InStatus(DesignationStatus.Recommended))
            .When(h => DesignationDecider.Decide(Recognize(), Firm(h), h.Designations(), Data))
            .ThenSingle<DesignationRecognized>()
            .ShouldSatisfyAllConditions(
                r => r.SkippedRules.ShouldBeEmpty(),
                r => r.ImportBatch.ShouldBeNull(),
                r => r.Historical.ShouldBeFalse());

    private const string LittleGiant = "national-little-giant";
    private const string Municipal = "municipal-srdi";
}
