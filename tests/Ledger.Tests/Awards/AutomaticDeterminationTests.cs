using Ledger.Awards;
using Ledger.Designations;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Awards;

/// <summary>End to end on PostgreSQL: recognitions and renewals determine awards without anyone typing an amount.</summary>
public sealed class AutomaticDeterminationTests : LedgerFixture
{
    private static LocalDate D(int y, int m, int d) => new(y, m, d);

    private Task IssueAsync(PolicyDraft draft, string issuer, string name) =>
        App.SendAsync(new IssueAwardPolicy(issuer, name, draft, "admin", Now), As("admin", "admin"));

    [Theory]
    [InlineData("national-little-giant", 500000)]
    [InlineData("provincial-srdi", 300000)]
    [InlineData("municipal-srdi", 100000)]
    public async Task Xishan_recognitions_determine_their_published_amounts(string tier, int yuan)
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var enterprise = await RegisterAsync("320205");

        await ImportRecognitionAsync(enterprise, tier, D(2022, 6, 1));

        var award = (await AwardsOfAsync(enterprise)).ShouldHaveSingleItem();
        award.Amount.ShouldBe(Money.Of(yuan));
        award.CountyCode.ShouldBe("320205");
        award.Explanation.ShouldStartWith("锡山区专精特新奖励（锡政发〔2021〕1号）");
    }

    [Theory]
    [InlineData("national-little-giant", 150000)]
    [InlineData("provincial-srdi", 100000)]
    [InlineData("municipal-srdi", 50000)]
    public async Task Xishan_passed_renewals_determine_their_published_amounts(string tier, int yuan)
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var enterprise = await RegisterAsync("320205");
        var designation = await ImportRecognitionAsync(enterprise, tier, D(2021, 6, 1));

        await App.SendAsync(
            new ReviewRenewal(designation, RenewalOutcome.Passed, D(2024, 5, 20), null, "省工信厅", null, "clerk", Now), As("clerk"));

        var renewal = (await AwardsOfAsync(enterprise)).Single(a => a.Rule.Trigger == AwardTrigger.Renewal);
        renewal.Amount.ShouldBe(Money.Of(yuan));
        renewal.TriggerDate.ShouldBe(D(2024, 5, 20));
    }

    [Fact]
    public async Task Jiaxing_covers_a_little_giant_in_Haiyan_but_not_one_in_Xishan_and_pays_a_hidden_champion()
    {
        await IssueAsync(TestPolicies.JiaxingDraft, "330400", "嘉兴市");
        var haiyan = await RegisterAsync("330424");
        var xishan = await RegisterAsync("320205");
        var champion = await RegisterAsync("330481");

        await ImportRecognitionAsync(haiyan, "national-little-giant", D(2022, 7, 1));
        await ImportRecognitionAsync(xishan, "national-little-giant", D(2022, 7, 1));
        await ImportRecognitionAsync(champion, "provincial-hidden-champion", D(2022, 12, 1));

        var haiyanAward = (await AwardsOfAsync(haiyan)).ShouldHaveSingleItem();
        haiyanAward.Amount.ShouldBe(Money.Of(1500000m));
        haiyanAward.Funding.Select(f => (f.DivisionCode, f.Amount)).ShouldBe([("330400", Money.Of(750000m)), ("330424", Money.Of(750000m))]);
        (await AwardsOfAsync(xishan)).ShouldBeEmpty();
        (await AwardsOfAsync(champion)).ShouldHaveSingleItem().Amount.ShouldBe(Money.Of(500000m));
    }

    [Fact]
    public async Task An_upgrade_under_highest_only_pays_the_difference()
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var enterprise = await RegisterAsync("320205");

        await ImportRecognitionAsync(enterprise, "provincial-srdi", D(2022, 3, 1));
        await ImportRecognitionAsync(enterprise, "national-little-giant", D(2023, 7, 1), "工信部企业函〔2023〕1号");

        var awards = await AwardsOfAsync(enterprise);
        awards.Select(a => a.Amount).ShouldBe([Money.Of(300000m), Money.Of(200000m)]);
        awards[1].Offsets.ShouldHaveSingleItem().Amount.ShouldBe(Money.Of(300000m));
        awards[1].Explanation.ShouldContain("补足差额20万元");
    }

    [Fact]
    public async Task Concurrent_recognitions_of_one_enterprise_under_highest_only_never_pay_more_than_the_highest_tier()
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var enterprise = await RegisterAsync("320205");
        using var start = new ManualResetEventSlim();

        async Task RecognizeAsync(string tier)
        {
            start.Wait();
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await ImportRecognitionAsync(enterprise, tier, D(2023, 7, 1), $"{tier}〔2023〕1号");
                    return;
                }
                catch (EventStore.ConcurrencyException) when (attempt < 5)
                {
                    // The loser of the race decides again on what the winner recorded.
                }
            }
        }
        var both = new[] { Task.Run(() => RecognizeAsync("provincial-srdi")), Task.Run(() => RecognizeAsync("national-little-giant")) };
        start.Set();
        await Task.WhenAll(both);

        var awards = await AwardsOfAsync(enterprise);
        awards.Aggregate(Money.Zero, (sum, a) => sum + a.Amount).ShouldBeLessThanOrEqualTo(Money.Of(500000m));
        awards.Count.ShouldBeInRange(1, 2);
        var stack = await App.Store.ReadStreamAsync(AwardStacked.StreamId(awards[0].PolicyId, enterprise));
        stack.Select(e => ((AwardStacked)e.Data).AwardId).ShouldBe(awards.Select(a => a.AwardId), ignoreOrder: true);
    }

    [Fact]
    public async Task A_retroactive_policy_issued_later_catches_up_on_recognitions_inside_its_window_only()
    {
        var inside = await RegisterAsync("330424");
        var before = await RegisterAsync("330424");
        await ImportRecognitionAsync(inside, "provincial-srdi", D(2022, 6, 1));
        await ImportRecognitionAsync(before, "provincial-srdi", D(2021, 12, 31));

        await IssueAsync(TestPolicies.HaiyanDraft, "330424", "海盐县");

        var award = (await AwardsOfAsync(inside)).ShouldHaveSingleItem();
        award.DeterminationDate.ShouldBe(D(2023, 2, 19));
        award.TriggerDate.ShouldBe(D(2022, 6, 1));
        (await AwardsOfAsync(before)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_amendment_leaves_earlier_awards_on_their_version_and_applies_to_later_recognitions()
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var early = await RegisterAsync("320205");
        var late = await RegisterAsync("320205");
        await ImportRecognitionAsync(early, "municipal-srdi", D(2022, 3, 1));
        var policy = AwardPolicyDecider.StreamId("320205", TestPolicies.XishanDraft.DocumentNumber);

        var amended = TestPolicies.XishanDraft with
        {
            EffectiveFrom = D(2024, 1, 1),
            Rules = [.. TestPolicies.XishanDraft.Rules.Select(r => r.Tier == "municipal-srdi" && r.Trigger == AwardTrigger.Recognition ? r with { Amount = 120000m } : r)],
        };
        await App.SendAsync(new AmendAwardPolicy(policy, amended, "提高市级奖励", "admin", Now), As("admin", "admin"));
        await ImportRecognitionAsync(late, "municipal-srdi", D(2024, 2, 1));

        var earlyAward = (await AwardsOfAsync(early)).ShouldHaveSingleItem();
        (earlyAward.PolicyVersion, earlyAward.Amount).ShouldBe((1, Money.Of(100000m)));
        var lateAward = (await AwardsOfAsync(late)).ShouldHaveSingleItem();
        (lateAward.PolicyVersion, lateAward.Amount).ShouldBe((2, Money.Of(120000m)));
    }

    [Fact]
    public async Task Revocation_cancels_the_unpaid_awards_of_the_designation()
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var enterprise = await RegisterAsync("320205");
        var designation = await ImportRecognitionAsync(enterprise, "provincial-srdi", D(2022, 3, 1));
        var award = (await AwardsOfAsync(enterprise)).Single();

        await App.SendAsync(new RevokeDesignation(designation, "申报数据造假", D(2023, 1, 10), false, "clerk", Now), As("clerk"));

        var ledger = await App.Awards.LoadAsync(award.AwardId);
        ledger.State.Award.Status.ShouldBe(AwardStatus.Cancelled);
        var cancelled = (await App.Store.ReadStreamAsync(award.AwardId))[^1].Data.ShouldBeOfType<AwardCancelled>();
        cancelled.CancelledAmount.ShouldBe(Money.Of(300000m));
        (await App.Designations.LoadAsync(designation)).State.Status.ShouldBe(DesignationStatus.Revoked);
    }

    [Fact]
    public async Task An_up_to_award_is_redetermined_lower_with_a_reason_and_never_higher()
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var enterprise = await RegisterAsync("320205");
        await ImportRecognitionAsync(enterprise, "provincial-srdi", D(2022, 3, 1));
        var award = (await AwardsOfAsync(enterprise)).Single().AwardId;

        await App.SendAsync(new RedetermineAward(award, Money.Of(250000m), "核减：研发投入未达标", "clerk", Now), As("clerk"));
        await Should.ThrowAsync<DomainException>(() =>
            App.SendAsync(new RedetermineAward(award, Money.Of(280000m), "上调", "clerk", Now), As("clerk")));

        var account = (await App.Awards.LoadAsync(award)).State;
        account.Award.Amount.ShouldBe(Money.Of(250000m));
        (await App.Store.ReadStreamAsync(award))[^1].Metadata.Reason.ShouldBe("核减：研发投入未达标");
    }

    [Fact]
    public async Task A_recognition_retried_with_its_idempotency_key_determines_nothing_twice()
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var enterprise = await RegisterAsync("320205");
        var command = new RecognizeDesignation(enterprise, "provincial-srdi", new RecognisingAuthority("320000", "江苏省工业和信息化厅"), "苏工信〔2022〕9号", D(2022, 3, 1),
            null, null, null, "clerk", Now, new Ledger.Imports.HistoricalImport("import-2022"));

        var first = await App.SendAsync(command, As("clerk", key: "import-row-17"));
        var again = await App.SendAsync(command with { At = Now.Plus(Duration.FromMinutes(1)) }, As("clerk", key: "import-row-17"));

        again.ShouldBe(first);
        (await AwardsOfAsync(enterprise)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_full_lifecycle_from_declaration_to_recognition_to_expiry_is_recorded_as_events()
    {
        await IssueAsync(TestPolicies.XishanDraft, "320205", "无锡市锡山区");
        var enterprise = await RegisterAsync("320205");
        var designation = await App.SendAsync(
            new SubmitDeclaration(enterprise, "", "", "municipal-srdi", D(2022, 4, 1), "clerk", Now), As("clerk"));
        await App.SendAsync(
            new ReviewDeclaration(designation, ReviewLevel.County, ReviewOutcome.Recommended, "锡山区工信局", "材料齐全", D(2022, 4, 20), "clerk", Now), As("clerk"));

        await App.SendAsync(new RecognizeDesignation(enterprise, "municipal-srdi", new RecognisingAuthority("320200", "无锡市工业和信息化局"), "锡工信〔2022〕3号",
            D(2022, 6, 1), null, null, null, "clerk", Now), As("clerk"));
        var expired = await App.SendAsync(new ExpireDesignations(D(2025, 6, 1), "system", Now), As("system", "system"));

        expired.ShouldBe(1);
        var state = (await App.Designations.LoadAsync(designation)).State;
        state.Status.ShouldBe(DesignationStatus.Expired);
        (await AwardsOfAsync(enterprise)).ShouldHaveSingleItem().Amount.ShouldBe(Money.Of(100000m));
        (await App.Designations.LoadAsync(designation, EventStore.ReadLimit.AtVersion(3))).State.Status.ShouldBe(DesignationStatus.Recognized);
    }

    [Fact]
    public async Task An_illegal_transition_writes_nothing()
    {
        var enterprise = await RegisterAsync("320205");
        var designation = await App.SendAsync(
            new SubmitDeclaration(enterprise, "", "", "municipal-srdi", D(2022, 4, 1), "clerk", Now), As("clerk"));
        var head = (await App.Store.HeadAsync()).Seq;

        var error = await Should.ThrowAsync<DomainException>(() => App.SendAsync(
            new RevokeDesignation(designation, "x", D(2022, 5, 1), false, "clerk", Now), As("clerk")));

        error.Message.ShouldContain("declared");
        (await App.Store.HeadAsync()).Seq.ShouldBe(head);
    }
}
