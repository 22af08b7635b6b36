using Ledger.Policies;
using Ledger.Tests.Support;
using static Ledger.Tests.Policies.TestPolicies;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Policies;

public class AwardPolicyDeciderTests
{
    private static readonly Guid XishanId = IssueXishan.PolicyId;

    [Fact]
    public void Xishan_policy_with_the_published_rules_is_issued_as_version_one() =>
        Spec.Given()
            .When(h => AwardPolicyDecider.Decide(IssueXishan, h.Policy(XishanId), Data))
            .Then(new AwardPolicyIssued(
                XishanId,
                "320205",
                "无锡市锡山区",
                new PolicyTerms(
                    "锡山区专精特新奖励",
                    "锡政发〔2021〕1号",
                    D(2021, 1, 1),
                    D(2021, 1, 1),
                    null,
                    [
                        new AwardRule("national-little-giant", AwardTrigger.Recognition, Money.Of(500000m), AmountKind.UpTo),
                        new AwardRule("provincial-srdi", AwardTrigger.Recognition, Money.Of(300000m), AmountKind.UpTo),
                        new AwardRule("municipal-srdi", AwardTrigger.Recognition, Money.Of(100000m), AmountKind.UpTo),
                        new AwardRule("national-little-giant", AwardTrigger.Renewal, Money.Of(150000m), AmountKind.Fixed),
                        new AwardRule("provincial-srdi", AwardTrigger.Renewal, Money.Of(100000m), AmountKind.Fixed),
                        new AwardRule("municipal-srdi", AwardTrigger.Renewal, Money.Of(50000m), AmountKind.Fixed),
                    ],
                    Stacking.HighestOnly,
                    [new FundingShare(FundingLevel.County, 100m)],
                    5,
                    null),
                "admin",
                At));

    [Fact]
    public void Policy_id_is_uuid_v5_of_issuer_and_document_number()
    {
        IssueXishan.PolicyId.ShouldBe(DeterministicGuid.Create("policy:320205:锡政发〔2021〕1号"));
        AwardPolicyDecider.StreamId("320205", "锡政发〔2021〕1号").ShouldBe(IssueXishan.PolicyId);
        IssueJiaxing.PolicyId.ShouldNotBe(IssueXishan.PolicyId);
    }

    [Fact]
    public void City_policy_may_charge_the_city_and_its_counties() =>
        Spec.Given()
            .When(h => AwardPolicyDecider.Decide(IssueJiaxing, h.Policy(IssueJiaxing.PolicyId), Data))
            .ThenSingle<AwardPolicyIssued>().Terms.FundingSplit.Count.ShouldBe(2);

    [Fact]
    public void Every_validation_problem_is_listed_at_once()
    {
        var draft = new PolicyDraft(
            " ",
            "",
            D(2024, 1, 1),
            D(2024, 1, 1),
            D(2023, 12, 31),
            [
                new RuleDraft("national-little-giant", AwardTrigger.Recognition, 500000m, AmountKind.UpTo),
                new RuleDraft("national-little-giant", AwardTrigger.Recognition, 400000m, AmountKind.UpTo),
                new RuleDraft("provincial-gazelle", AwardTrigger.Recognition, 100000m, AmountKind.Fixed),
                new RuleDraft("provincial-srdi", AwardTrigger.Recognition, 0m, AmountKind.Fixed),
                new RuleDraft("municipal-srdi", AwardTrigger.Renewal, 50000.005m, AmountKind.Fixed),
            ],
            Stacking.HighestOnly,
            [new FundingShare(FundingLevel.City, 50m), new FundingShare(FundingLevel.County, 40m)],
            -1,
            null);

        var error = Spec.Given()
            .When(h => AwardPolicyDecider.Decide(new IssueAwardPolicy(Xishan, "无锡市锡山区", draft, "admin", At), h.Policy(), Data))
            .ThenFails("policy.invalid");

        var expected = new[]
        {
            "title is required",
            "documentNumber is required",
            "appliesTo: 2023-12-31 is before appliesFrom 2024-01-01",
            "publicityWorkingDays: -1 is negative",
            "rules[1]: repeats rules[0] (national-little-giant, recognition)",
            "rules[2].tier: 'provincial-gazelle' is not a tier",
            "rules[3].amount: 0 must be greater than 0",
            "rules[4].amount: 50000.005 has more than 2 decimal places",
            "fundingSplit: the shares sum to 90%; they must sum to exactly 100%",
            "fundingSplit[0].level: city is above the issuer's own level (county, 320205)",
        };
        foreach (var problem in expected)
        {
            error.Message.ShouldContain(problem);
        }
        error.Message.Split('\n').Count(line => line.StartsWith("- ", StringComparison.Ordinal)).ShouldBe(expected.Length);
        error.Message.ShouldStartWith("Policy '' cannot be issued: 10 problems to fix:");
    }

    [Fact]
    public void Unknown_issuer_division_is_listed_with_the_other_problems()
    {
        var error = Spec.Given()
            .When(h => AwardPolicyDecider.Decide(
                IssueXishan with { IssuerCode = "329999", IssuerName = "", Terms = XishanDraft with { PublicityWorkingDays = -5 } }, h.Policy(), Data))
            .ThenFails("policy.invalid");
        error.Message.ShouldContain("3 problems to fix");
        error.Message.ShouldContain("issuerCode: '329999' is not a division");
        error.Message.ShouldContain("issuerName is required");
        error.Message.ShouldContain("publicityWorkingDays: -5 is negative");
    }

    [Fact]
    public void Non_positive_dual_approval_threshold_is_a_problem() =>
        Spec.Given()
            .When(h => AwardPolicyDecider.Decide(
                IssueXishan with { Terms = XishanDraft with { DualApprovalThreshold = 0m } }, h.Policy(), Data))
            .ThenFails("policy.invalid")
            .Message.ShouldContain("dualApprovalThreshold: 0 must be greater than 0");

    [Fact]
    public void Issuing_the_same_policy_twice_is_refused() =>
        Spec.Given(XishanIssued)
            .When(h => AwardPolicyDecider.Decide(IssueXishan, h.Policy(XishanId), Data))
            .ThenFails("policy.already-issued")
            .Message.ShouldContain("amend it instead");

    [Fact]
    public void Amendment_adds_a_version_and_keeps_the_earlier_one()
    {
        var amendedDraft = XishanDraft with { EffectiveFrom = D(2024, 1, 1), Stacking = Stacking.Cumulative };
        var amended = Spec.Given(XishanIssued)
            .When(h => AwardPolicyDecider.Decide(new AmendAwardPolicy(XishanId, amendedDraft, "2024年修订", "admin", At), h.Policy(XishanId), Data))
            .ThenSingle<AwardPolicyAmended>();
        amended.Version.ShouldBe(2);

        var state = new History([XishanIssued, amended]).Policy(XishanId);
        state.Versions.Select(v => (v.Number, v.EffectiveFrom, v.Terms.Stacking))
            .ShouldBe([(1, D(2021, 1, 1), Stacking.HighestOnly), (2, D(2024, 1, 1), Stacking.Cumulative)]);
    }

    [Fact]
    public void Version_in_force_is_the_latest_effective_on_the_date_and_version_one_before_any()
    {
        var amended = new AwardPolicyAmended(XishanId, 2, XishanIssued.Terms with { EffectiveFrom = D(2024, 1, 1) }, "修订", "admin", At);
        var state = new History([XishanIssued, amended]).Policy(XishanId);
        state.VersionFor(D(2020, 6, 1)).Number.ShouldBe(1);
        state.VersionFor(D(2023, 12, 31)).Number.ShouldBe(1);
        state.VersionFor(D(2024, 1, 1)).Number.ShouldBe(2);
    }

    [Fact]
    public void Amendment_must_take_effect_after_the_current_version() =>
        Spec.Given(XishanIssued)
            .When(h => AwardPolicyDecider.Decide(new AmendAwardPolicy(XishanId, XishanDraft, "修订", "admin", At), h.Policy(XishanId), Data))
            .ThenFails("policy.invalid")
            .Message.ShouldContain("effectiveFrom: 2021-01-01 must be after the effective-from of version 1 (2021-01-01)");

    [Fact]
    public void Amendment_needs_a_reason() =>
        Spec.Given(XishanIssued)
            .When(h => AwardPolicyDecider.Decide(
                new AmendAwardPolicy(XishanId, XishanDraft with { EffectiveFrom = D(2024, 1, 1) }, "", "admin", At), h.Policy(XishanId), Data))
            .ThenFails("policy.invalid")
            .Message.ShouldContain("reason is required");

    [Fact]
    public void Policy_that_was_never_issued_cannot_be_amended() =>
        Spec.Given()
            .When(h => AwardPolicyDecider.Decide(new AmendAwardPolicy(XishanId, XishanDraft, "修订", "admin", At), h.Policy(XishanId), Data))
            .ThenFails("policy.illegal-transition")
            .Message.ShouldContain("has not been issued");

    [Fact]
    public void Retirement_records_date_and_reason() =>
        Spec.Given(XishanIssued)
            .When(h => AwardPolicyDecider.Decide(new RetireAwardPolicy(XishanId, D(2025, 12, 31), "政策到期", "admin", At), h.Policy(XishanId)))
            .Then(new AwardPolicyRetired(XishanId, D(2025, 12, 31), "政策到期", "admin", At));

    [Fact]
    public void Retired_policy_can_be_neither_amended_nor_retired_again()
    {
        var retired = new AwardPolicyRetired(XishanId, D(2025, 12, 31), "政策到期", "admin", At);
        Spec.Given(XishanIssued, retired)
            .When(h => AwardPolicyDecider.Decide(
                new AmendAwardPolicy(XishanId, XishanDraft with { EffectiveFrom = D(2026, 1, 1) }, "修订", "admin", At), h.Policy(XishanId), Data))
            .ThenFails("policy.illegal-transition")
            .Message.ShouldContain("was retired on 2025-12-31");
        Spec.Given(XishanIssued, retired)
            .When(h => AwardPolicyDecider.Decide(new RetireAwardPolicy(XishanId, D(2026, 1, 1), "again", "admin", At), h.Policy(XishanId)))
            .ThenFails("policy.illegal-transition");
    }
}
