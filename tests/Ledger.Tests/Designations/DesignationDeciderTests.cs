using Ledger.Designations;
using Ledger.Imports;
using Ledger.Tests.Support;
using static Ledger.Tests.Designations.DesignationFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Designations;

public class DesignationDeciderTests
{
    [Fact]
    public void Declaration_starts_round_one_on_the_stream_named_by_enterprise_tier_and_round() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Submit(), h.Designations(), Data))
            .Then(Declared());

    [Fact]
    public void Stream_id_is_uuid_v5_of_the_natural_key()
    {
        // RFC 9562 / Python uuid.uuid5(NAMESPACE_DNS, "www.example.com")
        DeterministicGuid.Create(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com")
            .ShouldBe(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
        DesignationDecider.StreamId(Enterprise, Provincial, 1)
            .ShouldBe(DeterministicGuid.Create($"designation:{Enterprise}:provincial-srdi:1"));
        DesignationDecider.StreamId(Enterprise, Provincial, 2).ShouldNotBe(DesignationDecider.StreamId(Enterprise, Provincial, 1));
    }

    [Theory]
    [InlineData(DesignationStatus.Declared)]
    [InlineData(DesignationStatus.Recommended)]
    [InlineData(DesignationStatus.Recognized)]
    public void Declaration_is_refused_while_the_current_round_is_open(DesignationStatus status)
    {
        var error = Spec.Given(InStatus(status))
            .When(h => DesignationDecider.Decide(Submit(on: D(2023, 3, 1)), h.Designations(), Data))
            .ThenFails("designation.round-open");
        error.Message.ShouldContain($"round 1 of provincial-srdi, which is {status.ToString().ToLowerInvariant()}");
    }

    [Theory]
    [InlineData(DesignationStatus.Rejected)]
    [InlineData(DesignationStatus.RenewalFailed)]
    [InlineData(DesignationStatus.Revoked)]
    [InlineData(DesignationStatus.Expired)]
    public void Declaration_after_the_round_ended_starts_the_next_round(DesignationStatus status) =>
        Spec.Given(InStatus(status))
            .When(h => DesignationDecider.Decide(Submit(on: D(2025, 7, 1)), h.Designations(), Data))
            .Then(Declared(round: 2, on: D(2025, 7, 1)));

    [Fact]
    public void Declaration_after_valid_to_starts_the_next_round_even_before_the_expiry_run() =>
        Spec.Given(InStatus(DesignationStatus.Recognized))
            .When(h => DesignationDecider.Decide(Submit(on: D(2025, 6, 1)), h.Designations(), Data))
            .Then(Declared(round: 2, on: D(2025, 6, 1)));

    [Fact]
    public void Declaration_of_an_unknown_tier_is_refused() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(Submit(tier: "provincial-gazelle"), h.Designations(), Data))
            .ThenFails("designation.unknown-tier")
            .Message.ShouldContain("'provincial-gazelle'");

    [Fact]
    public void Recommended_review_keeps_the_round_going() =>
        Spec.Given(Declared())
            .When(h => DesignationDecider.Decide(
                new ReviewDeclaration(Id(), ReviewLevel.County, ReviewOutcome.Recommended, "reviewer-county", null, D(2022, 4, 1), Clerk, At),
                h.Designation(Id()), Data))
            .Then(Reviewed());

    [Fact]
    public void Rejected_review_ends_the_round()
    {
        var history = new History([Declared(), Reviewed(outcome: ReviewOutcome.Rejected)]);
        history.Designation(Id()).Status.ShouldBe(DesignationStatus.Rejected);
    }

    [Fact]
    public void Reviews_go_up_the_hierarchy_county_city_province() =>
        Spec.Given(Declared(), Reviewed(ReviewLevel.City))
            .When(h => DesignationDecider.Decide(
                new ReviewDeclaration(Id(), ReviewLevel.County, ReviewOutcome.Recommended, "r", null, D(2022, 4, 2), Clerk, At),
                h.Designation(Id()), Data))
            .ThenFails("designation.review-order")
            .Message.ShouldContain("already reviewed at city level");

    [Fact]
    public void Review_above_the_level_that_recognises_the_tier_is_refused() =>
        Spec.Given(Declared("municipal-srdi"))
            .When(h => DesignationDecider.Decide(
                new ReviewDeclaration(Id("municipal-srdi"), ReviewLevel.Province, ReviewOutcome.Recommended, "r", null, D(2022, 4, 2), Clerk, At),
                h.Designation(Id("municipal-srdi")), Data))
            .ThenFails("designation.review-level");

    [Fact]
    public void Recognition_of_a_recommended_declaration_is_valid_for_the_tier_years_ending_the_day_before() =>
        Spec.Given(InStatus(DesignationStatus.Recommended))
            .When(h => DesignationDecider.Decide(Recognize(), Firm(h), h.Designations(), Data))
            .Then(Recognized(validTo: D(2025, 5, 31)));

    [Fact]
    public void Recognition_with_explicit_validity_keeps_it() =>
        Spec.Given(InStatus(DesignationStatus.Recommended))
            .When(h => DesignationDecider.Decide(Recognize(validFrom: D(2022, 6, 1), validTo: D(2024, 12, 31)), Firm(h), h.Designations(), Data))
            .ThenSingle<DesignationRecognized>().ValidTo.ShouldBe(D(2024, 12, 31));

    [Fact]
    public void Valid_to_must_be_after_valid_from() =>
        Spec.Given(InStatus(DesignationStatus.Recommended))
            .When(h => DesignationDecider.Decide(Recognize(validFrom: D(2022, 6, 1), validTo: D(2022, 6, 1)), Firm(h), h.Designations(), Data))
            .ThenFails("designation.validity")
            .Message.ShouldContain("validTo: 2022-06-01 must be after validFrom 2022-06-01");

    [Fact]
    public void Historical_recognition_starts_a_stream_without_a_declaration() =>
        Spec.Given()
            .When(h => DesignationDecider.Decide(
                Recognize(Innovative, on: D(2022, 6, 1), historical: new HistoricalImport(Batch)), Firm(h), h.Designations(), Data))
            .Then(InnovativeHeld());

    [Fact]
    public void Historical_recognition_after_a_revoked_round_is_round_two() =>
        Spec.Given(InStatus(DesignationStatus.Revoked))
            .When(h => DesignationDecider.Decide(
                Recognize(on: D(2024, 6, 1), historical: new HistoricalImport(Batch)), Firm(h), h.Designations(), Data))
            .Then(Recognized(round: 2, on: D(2024, 6, 1), historical: true));

    [Fact]
    public void Prerequisite_missing_on_the_recognition_date_is_refused() =>
        Spec.Given(Declared(), Reviewed())
            .When(h => DesignationDecider.Decide(Recognize(), Firm(h), h.Designations(), Data))
            .ThenFails("designation.prerequisite-missing")
            .Message.ShouldContain("provincial-srdi requires a designation valid on 2022-06-01 of innovative-sme");

    [Fact]
    public void Prerequisite_that_expired_before_the_recognition_date_does_not_count() =>
        Spec.Given(Recognized(Innovative, on: D(2019, 1, 1), historical: true), Declared(), Reviewed())
            .When(h => DesignationDecider.Decide(Recognize(), Firm(h), h.Designations(), Data))
            .ThenFails("designation.prerequisite-missing");

    [Fact]
    public void Prerequisite_that_was_revoked_does_not_count() =>
        Spec.Given(InnovativeHeld(), new DesignationRevoked(Id(Innovative), "撤销", D(2022, 5, 1), false, Clerk, At), Declared(), Reviewed())
            .When(h => DesignationDecider.Decide(Recognize(), Firm(h), h.Designations(), Data))
            .ThenFails("designation.prerequisite-missing");

    [Fact]
    public void Prerequisite_override_is_recorded_in_the_recognition() =>
        Spec.Given(Declared(), Reviewed())
            .When(h => DesignationDecider.Decide(
                Recognize(prerequisiteOverride: new PrerequisiteOverride("局长王某", "创新型中小企业认定2022年前尚未开展")), Firm(h), h.Designations(), Data))
            .Then(Recognized() with { PrerequisiteOverride = new PrerequisiteOverride("局长王某", "创新型中小企业认定2022年前尚未开展") });

    [Fact]
    public void Override_without_a_reason_is_refused() =>
        Spec.Given(Declared(), Reviewed())
            .When(h => DesignationDecider.Decide(Recognize(prerequisiteOverride: new PrerequisiteOverride("局长王某", " ")), Firm(h), h.Designations(), Data))
            .ThenFails("designation.field-required")
            .Message.ShouldContain("prerequisiteOverride.reason");

    [Fact]
    public void Passed_renewal_extends_validity_by_the_tier_years() =>
        Spec.Given(InStatus(DesignationStatus.Recognized))
            .When(h => DesignationDecider.Decide(RenewalCommand(RenewalOutcome.Passed, D(2025, 5, 20)), h.Designation(Id()), false, Firm(h), Data))
            .Then(Renewal(RenewalOutcome.Passed, D(2025, 5, 20), D(2028, 5, 31)));

    [Fact]
    public void Failed_renewal_ends_the_designation_on_its_decision_date()
    {
        var state = new History(InStatus(DesignationStatus.RenewalFailed)).Designation(Id());
        state.Status.ShouldBe(DesignationStatus.RenewalFailed);
        state.IsValidOn(D(2025, 5, 19)).ShouldBeTrue();
        state.IsValidOn(D(2025, 5, 20)).ShouldBeFalse();
    }

    [Fact]
    public void Failed_renewal_has_no_new_valid_to() =>
        Spec.Given(InStatus(DesignationStatus.Recognized))
            .When(h => DesignationDecider.Decide(RenewalCommand(RenewalOutcome.Failed, D(2025, 5, 20), D(2028, 5, 31)), h.Designation(Id()), false, Firm(h), Data))
            .ThenFails("designation.validity");

    [Fact]
    public void Passed_renewal_after_expiry_reinstates_the_designation_from_its_decision_date()
    {
        Spec.Given(InStatus(DesignationStatus.Expired))
            .When(h => DesignationDecider.Decide(RenewalCommand(RenewalOutcome.Passed, D(2025, 9, 1)), h.Designation(Id()), false, Firm(h), Data))
            .Then(Renewal(RenewalOutcome.Passed, D(2025, 9, 1), D(2028, 5, 31)));

        var state = new History([.. InStatus(DesignationStatus.Expired), Renewal(RenewalOutcome.Passed, D(2025, 9, 1), D(2028, 5, 31))]).Designation(Id());
        state.Status.ShouldBe(DesignationStatus.Recognized);
        state.IsValidOn(D(2025, 5, 31)).ShouldBeTrue();
        state.IsValidOn(D(2025, 7, 1)).ShouldBeFalse();
        state.IsValidOn(D(2025, 9, 1)).ShouldBeTrue();
        state.ValidTo.ShouldBe(D(2028, 5, 31));
    }

    [Fact]
    public void Renewal_review_is_refused_once_a_later_round_started() =>
        Spec.Given(InStatus(DesignationStatus.Expired))
            .When(h => DesignationDecider.Decide(RenewalCommand(RenewalOutcome.Passed, D(2025, 9, 1)), h.Designation(Id()), laterRoundStarted: true, Firm(h), Data))
            .ThenFails("designation.later-round-started");

    [Fact]
    public void Revocation_records_reason_and_clawback_demand() =>
        Spec.Given(InStatus(DesignationStatus.Recognized))
            .When(h => DesignationDecider.Decide(Revoke(), h.Designation(Id())))
            .Then(Revoked());

    [Fact]
    public void Revocation_needs_a_reason() =>
        Spec.Given(InStatus(DesignationStatus.Recognized))
            .When(h => DesignationDecider.Decide(Revoke() with { Reason = "" }, h.Designation(Id())))
            .ThenFails("designation.field-required")
            .Message.ShouldContain("reason");

    [Fact]
    public void Expiry_run_records_expiry_on_the_day_after_valid_to() =>
        Spec.Given(InStatus(DesignationStatus.Recognized))
            .When(h => DesignationDecider.Expire(h.Designation(Id()), D(2025, 7, 15), "expiry-run", At))
            .Then(Expired());

    [Fact]
    public void Expiry_run_does_nothing_on_the_last_valid_day() =>
        Spec.Given(InStatus(DesignationStatus.Recognized))
            .When(h => DesignationDecider.Expire(h.Designation(Id()), D(2025, 5, 31), "expiry-run", At))
            .ThenNothing();

    [Theory]
    [InlineData(DesignationStatus.Expired)]
    [InlineData(DesignationStatus.Revoked)]
    [InlineData(DesignationStatus.RenewalFailed)]
    [InlineData(DesignationStatus.Declared)]
    public void Expiry_run_does_nothing_unless_recognized(DesignationStatus status) =>
        Spec.Given(InStatus(status))
            .When(h => DesignationDecider.Expire(h.Designation(Id()), D(2030, 1, 1), "expiry-run", At))
            .ThenNothing();
}
