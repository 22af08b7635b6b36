using Ledger.Awards;
using Ledger.Policies;
using Ledger.Tests.Support;
using static Ledger.Tests.Awards.AwardFixtures;
using static Ledger.Tests.Policies.TestPolicies;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Awards;

public class AwardCalculatorTests
{
    private static readonly Guid XishanPolicy = IssueXishan.PolicyId;
    private static readonly Guid JiaxingPolicy = IssueJiaxing.PolicyId;
    private static readonly Guid HaiyanPolicy = IssueHaiyan.PolicyId;

    [Fact]
    public void Xishan_little_giant_recognition_determines_500_000_with_the_rule_the_split_and_the_explanation()
    {
        var fact = Recognition(LittleGiant, D(2023, 7, 14));
        Spec.Given(XishanIssued)
            .When(h => Determine(h, fact, XishanPolicy))
            .Then(new AwardDetermined(
                AwardCalculator.AwardId(fact.DesignationId, XishanPolicy, AwardTrigger.Recognition, D(2023, 7, 14)),
                fact.DesignationId,
                EnterpriseA,
                "320205",
                XishanPolicy,
                1,
                new AwardRule(LittleGiant, AwardTrigger.Recognition, Money.Of(500000m), AmountKind.UpTo),
                D(2023, 7, 14),
                D(2023, 7, 14),
                Money.Of(500000m),
                [],
                [new FundingAmount(FundingLevel.County, "320205", 100m, Money.Of(500000m))],
                "锡山区专精特新奖励（锡政发〔2021〕1号）：国家级专精特新“小巨人”认定奖励最高50万元，核定50万元",
                AwardRun,
                At));
    }

    [Theory]
    [InlineData(LittleGiant, 500000)]
    [InlineData(Provincial, 300000)]
    [InlineData(Municipal, 100000)]
    public void Xishan_recognition_without_an_earlier_award_determines_the_rule_amount(string tier, int amount) =>
        Spec.Given(XishanIssued)
            .When(h => Determine(h, Recognition(tier, D(2023, 7, 14)), XishanPolicy))
            .ThenSingle<AwardDetermined>().Amount.ShouldBe(Money.Of(amount));

    [Theory]
    [InlineData(LittleGiant, 150000, "国家级专精特新“小巨人”复审通过奖励15万元")]
    [InlineData(Provincial, 100000, "省级“专精特新”中小企业复审通过奖励10万元")]
    [InlineData(Municipal, 50000, "市级“专精特新”企业复审通过奖励5万元")]
    public void Xishan_passed_renewal_determines_its_own_amount(string tier, int amount, string explained)
    {
        var award = Spec.Given(XishanIssued)
            .When(h => Determine(h, Renewal(tier, D(2025, 7, 14)), XishanPolicy))
            .ThenSingle<AwardDetermined>();
        award.Amount.ShouldBe(Money.Of(amount));
        award.Rule.Trigger.ShouldBe(AwardTrigger.Renewal);
        award.Explanation.ShouldBe("锡山区专精特新奖励（锡政发〔2021〕1号）：" + explained);
    }

    [Fact]
    public void Renewal_is_paid_in_full_next_to_recognition_awards()
    {
        var recognized = Determined(Recognition(Provincial, D(2022, 6, 1)), XishanIssued);
        var renewal = Spec.Given(XishanIssued, recognized)
            .When(h => Determine(h, Renewal(Provincial, D(2025, 5, 20)), XishanPolicy))
            .ThenSingle<AwardDetermined>();
        renewal.Amount.ShouldBe(Money.Of(100000m));
        renewal.Offsets.ShouldBeEmpty();
    }

    [Fact]
    public void Jiaxing_covers_a_little_giant_in_Haiyan_with_1_500_000_split_between_city_and_county()
    {
        var award = Spec.Given(JiaxingIssued)
            .When(h => Determine(h, Recognition(LittleGiant, D(2023, 7, 14), Haiyan), JiaxingPolicy))
            .ThenSingle<AwardDetermined>();
        award.Amount.ShouldBe(Money.Of(1500000m));
        award.CountyCode.ShouldBe("330424");
        award.Explanation.ShouldBe("嘉兴市专精特新奖励（嘉政发〔2022〕1号）：国家级专精特新“小巨人”认定奖励150万元");
        EventDump.Of(award.Funding).ShouldBe(EventDump.Of([
            new FundingAmount(FundingLevel.City, "330400", 50m, Money.Of(750000m)),
            new FundingAmount(FundingLevel.County, "330424", 50m, Money.Of(750000m)),
        ]));
    }

    [Fact]
    public void Jiaxing_does_not_cover_a_little_giant_in_Xishan() =>
        Spec.Given(JiaxingIssued)
            .When(h => Determine(h, Recognition(LittleGiant, D(2023, 7, 14), Xishan), JiaxingPolicy))
            .ThenNothing();

    [Fact]
    public void Jiaxing_hidden_champion_gets_500_000() =>
        Spec.Given(JiaxingIssued)
            .When(h => Determine(h, Recognition(HiddenChampion, D(2023, 7, 14), Nanhu), JiaxingPolicy))
            .ThenSingle<AwardDetermined>().Amount.ShouldBe(Money.Of(500000m));

    [Fact]
    public void Cumulative_policy_pays_each_recognition_in_full()
    {
        var champion = Determined(Recognition(HiddenChampion, D(2022, 5, 1), Haiyan), JiaxingIssued);
        Spec.Given(JiaxingIssued, champion)
            .When(h => Determine(h, Recognition(LittleGiant, D(2023, 7, 14), Haiyan), JiaxingPolicy))
            .ThenSingle<AwardDetermined>().Amount.ShouldBe(Money.Of(1500000m));
    }

    [Fact]
    public void Tier_without_a_rule_determines_nothing() =>
        Spec.Given(JiaxingIssued)
            .When(h => Determine(h, Recognition(Provincial, D(2023, 7, 14), Haiyan), JiaxingPolicy))
            .ThenNothing();

    [Fact]
    public void Upgrade_under_highest_only_pays_the_difference_and_says_so()
    {
        var provincial = Determined(Recognition(Provincial, D(2022, 6, 1)), XishanIssued);
        provincial.Amount.ShouldBe(Money.Of(300000m));

        var national = Spec.Given(XishanIssued, provincial)
            .When(h => Determine(h, Recognition(LittleGiant, D(2023, 7, 14)), XishanPolicy))
            .ThenSingle<AwardDetermined>();

        national.Amount.ShouldBe(Money.Of(200000m));
        EventDump.Of(national.Offsets).ShouldBe(EventDump.Of([new StackingOffset(provincial.AwardId, Provincial, Money.Of(300000m))]));
        national.Explanation.ShouldBe(
            "锡山区专精特新奖励（锡政发〔2021〕1号）：国家级专精特新“小巨人”认定奖励最高50万元，已获省级“专精特新”中小企业认定奖励30万元，按就高不重复补足差额20万元");
    }

    [Fact]
    public void Upgrade_is_not_offset_by_renewal_awards()
    {
        var provincial = Determined(Recognition(Provincial, D(2021, 6, 1)), XishanIssued);
        var renewal = Determined(Renewal(Provincial, D(2024, 5, 20)), XishanIssued, provincial);
        Spec.Given(XishanIssued, provincial, renewal)
            .When(h => Determine(h, Recognition(LittleGiant, D(2024, 7, 14)), XishanPolicy))
            .ThenSingle<AwardDetermined>().Amount.ShouldBe(Money.Of(200000m));
    }

    [Fact]
    public void Upgrade_offsets_every_earlier_rung_at_its_current_amount()
    {
        var municipal = Determined(Recognition(Municipal, D(2021, 9, 1)), XishanIssued);
        var provincial = Determined(Recognition(Provincial, D(2022, 6, 1)), XishanIssued, municipal);
        provincial.Amount.ShouldBe(Money.Of(200000m));
        var lowered = new AwardRedetermined(provincial.AwardId, provincial.Amount, Money.Of(150000m), Money.Zero, provincial.Funding, "材料核减", "clerk", At);

        var national = Spec.Given(XishanIssued, municipal, provincial, lowered)
            .When(h => Determine(h, Recognition(LittleGiant, D(2023, 7, 14)), XishanPolicy))
            .ThenSingle<AwardDetermined>();

        national.Amount.ShouldBe(Money.Of(250000m));
        national.Explanation.ShouldEndWith("已获市级“专精特新”企业认定奖励10万元、省级“专精特新”中小企业认定奖励15万元，按就高不重复补足差额25万元");
    }

    [Fact]
    public void Upgrade_after_the_lower_award_was_cancelled_pays_the_full_rule_amount()
    {
        var provincial = Determined(Recognition(Provincial, D(2022, 6, 1)), XishanIssued);
        var cancelled = new AwardCancelled(provincial.AwardId, "撤销认定", Money.Zero, provincial.Amount, Unpaid.Of(provincial), "clerk", At);
        Spec.Given(XishanIssued, provincial, cancelled)
            .When(h => Determine(h, Recognition(LittleGiant, D(2023, 7, 14)), XishanPolicy))
            .ThenSingle<AwardDetermined>().Amount.ShouldBe(Money.Of(500000m));
    }

    [Fact]
    public void Highest_only_pays_nothing_for_a_tier_at_or_below_one_already_awarded()
    {
        var national = Determined(Recognition(LittleGiant, D(2022, 6, 1)), XishanIssued);
        Spec.Given(XishanIssued, national)
            .When(h => Determine(h, Recognition(Provincial, D(2023, 7, 14)), XishanPolicy))
            .ThenNothing();
        Spec.Given(XishanIssued, national)
            .When(h => Determine(h, Recognition(LittleGiant, D(2025, 9, 1), round: 2), XishanPolicy))
            .ThenNothing();
    }

    [Fact]
    public void Awards_under_other_policies_never_offset()
    {
        var wuxi = Issued(new IssueAwardPolicy("320200", "无锡市", new PolicyDraft(
            "无锡市专精特新奖励", "锡政规〔2022〕2号", D(2022, 1, 1), D(2022, 1, 1), null,
            [new RuleDraft(Provincial, AwardTrigger.Recognition, 200000m, AmountKind.Fixed)],
            Stacking.HighestOnly, [new FundingShare(FundingLevel.City, 100m)], 5, null), "admin", At));
        var fact = Recognition(Provincial, D(2022, 6, 1));
        var cityAward = Determined(fact, wuxi);
        cityAward.Amount.ShouldBe(Money.Of(200000m));
        cityAward.Funding[0].DivisionCode.ShouldBe("320200");

        Spec.Given(wuxi, XishanIssued, cityAward)
            .When(h => Determine(h, fact, XishanPolicy))
            .ThenSingle<AwardDetermined>().Amount.ShouldBe(Money.Of(300000m));
    }

    [Fact]
    public void Retroactive_policy_determines_a_recognition_inside_its_window_on_its_effective_date()
    {
        var award = Spec.Given(HaiyanIssued)
            .When(h => Determine(h, Recognition(Provincial, D(2022, 6, 1), Haiyan), HaiyanPolicy))
            .ThenSingle<AwardDetermined>();
        award.TriggerDate.ShouldBe(D(2022, 6, 1));
        award.DeterminationDate.ShouldBe(D(2023, 2, 19));
        award.PolicyVersion.ShouldBe(1);
        award.Explanation.ShouldBe(
            "海盐县专精特新企业培育奖励（盐政办发〔2023〕5号）：省级“专精特新”中小企业认定奖励10万元；认定日期2022年6月1日早于政策施行日期2023年2月19日，政策追溯自2022年1月1日起适用，核定日期2023年2月19日");
    }

    [Fact]
    public void Retroactive_policy_does_not_reach_before_its_applies_from() =>
        Spec.Given(HaiyanIssued)
            .When(h => Determine(h, Recognition(Provincial, D(2021, 12, 31), Haiyan), HaiyanPolicy))
            .ThenNothing();

    [Fact]
    public void Recognition_after_applies_to_is_not_covered() =>
        Spec.Given(HaiyanIssued)
            .When(h => Determine(h, Recognition(Provincial, D(2026, 1, 1), Haiyan), HaiyanPolicy))
            .ThenNothing();

    [Fact]
    public void Amendment_keeps_earlier_awards_and_applies_to_recognitions_from_its_effective_date()
    {
        var before = Determined(Recognition(LittleGiant, D(2023, 5, 1)), XishanIssued);
        var amended = AwardPolicyDecider.Decide(
            new AmendAwardPolicy(XishanPolicy, XishanDraft with
            {
                EffectiveFrom = D(2024, 1, 1),
                Rules = [new RuleDraft(LittleGiant, AwardTrigger.Recognition, 600000m, AmountKind.UpTo)],
            }, "2024年提高小巨人奖励", "admin", At),
            new History([XishanIssued]).Policy(XishanPolicy),
            Data);
        var given = new object[] { XishanIssued, before, amended };

        var kept = new History(given).Award(before.AwardId);
        (kept.PolicyVersion, kept.Amount).ShouldBe((1, Money.Of(500000m)));

        Spec.Given(given)
            .When(h => Determine(h, Recognition(LittleGiant, D(2023, 5, 1)), XishanPolicy))
            .ThenNothing();

        var after = Spec.Given(given)
            .When(h => Determine(h, Recognition(LittleGiant, D(2024, 3, 1), enterprise: EnterpriseB), XishanPolicy))
            .ThenSingle<AwardDetermined>();
        (after.PolicyVersion, after.Amount).ShouldBe((2, Money.Of(600000m)));
        after.Explanation.ShouldStartWith("锡山区专精特新奖励（锡政发〔2021〕1号，第2版）：国家级专精特新“小巨人”认定奖励最高60万元");

        var decidedBeforeButDeterminedAfter = Spec.Given(given)
            .When(h => Determine(h, Recognition(LittleGiant, D(2023, 12, 15), enterprise: EnterpriseC), XishanPolicy))
            .ThenSingle<AwardDetermined>();
        (decidedBeforeButDeterminedAfter.PolicyVersion, decidedBeforeButDeterminedAfter.Amount).ShouldBe((1, Money.Of(500000m)));
    }

    [Fact]
    public void Retired_policy_covers_nothing_from_its_retirement_date()
    {
        var retired = new AwardPolicyRetired(XishanPolicy, D(2025, 1, 1), "新政策替代", "admin", At);
        Spec.Given(XishanIssued, retired)
            .When(h => Determine(h, Recognition(Provincial, D(2025, 1, 1)), XishanPolicy))
            .ThenNothing();
        Spec.Given(XishanIssued, retired)
            .When(h => Determine(h, Recognition(Provincial, D(2024, 12, 31)), XishanPolicy))
            .ThenSingle<AwardDetermined>().Amount.ShouldBe(Money.Of(300000m));
    }

    [Fact]
    public void Replaying_the_same_recognition_determines_nothing_even_after_cancellation()
    {
        var fact = Recognition(Provincial, D(2022, 6, 1));
        var award = Determined(fact, XishanIssued);
        var cancelled = new AwardCancelled(award.AwardId, "撤销认定", Money.Zero, award.Amount, Unpaid.Of(award), "clerk", At);
        Spec.Given(XishanIssued, award).When(h => Determine(h, fact, XishanPolicy)).ThenNothing();
        Spec.Given(XishanIssued, award, cancelled).When(h => Determine(h, fact, XishanPolicy)).ThenNothing();
    }

    [Fact]
    public void Award_id_is_uuid_v5_of_designation_policy_trigger_and_trigger_date()
    {
        var designation = Guid.Parse("d0000000-0000-4000-8000-00000000000d");
        AwardCalculator.AwardId(designation, XishanPolicy, AwardTrigger.Renewal, D(2025, 5, 20))
            .ShouldBe(DeterministicGuid.Create($"award:{designation}:{XishanPolicy}:renewal:2025-05-20"));
    }

    [Fact]
    public void Catch_up_determines_missing_awards_in_date_order_so_stacking_sees_earlier_ones()
    {
        var alreadyAwarded = Recognition(Provincial, D(2022, 5, 1), Haiyan, EnterpriseC);
        var existing = Determined(alreadyAwarded, HaiyanIssued);
        var facts = new[]
        {
            Recognition(LittleGiant, D(2022, 9, 1), Haiyan, EnterpriseA),
            Recognition(Provincial, D(2022, 3, 1), Haiyan, EnterpriseA),
            Recognition(Provincial, D(2021, 6, 1), Haiyan, EnterpriseB),
            alreadyAwarded,
            Recognition(LittleGiant, D(2022, 9, 1), Xishan, EnterpriseB),
        };

        var history = new History([HaiyanIssued, existing]);
        var determined = AwardCalculator.CatchUp(history.Policy(HaiyanPolicy), facts, history.Awards(), Data, AwardRun, At);

        determined.Select(a => (a.EnterpriseId, a.Rule.Tier, a.Amount, a.DeterminationDate)).ShouldBe([
            (EnterpriseA, Provincial, Money.Of(100000m), D(2023, 2, 19)),
            (EnterpriseA, LittleGiant, Money.Of(200000m), D(2023, 2, 19)),
        ]);

        var afterwards = new History([HaiyanIssued, existing, .. determined]);
        AwardCalculator.CatchUp(afterwards.Policy(HaiyanPolicy), facts, afterwards.Awards(), Data, AwardRun, At).ShouldBeEmpty();
    }
}
