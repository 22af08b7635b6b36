using Ledger.Policies;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Policies;

/// <summary>
/// The policies of data/award-policies.csv (amounts, tiers, triggers, stacking and effective dates as published
/// there; document numbers are made up for the tests), and a Haiyan-style retroactive policy (seed 003's dates,
/// illustrative amounts).
/// </summary>
internal static class TestPolicies
{
    public const string Admin = "admin";

    public static readonly PolicyDraft XishanDraft = new(
        "锡山区专精特新奖励",
        "锡政发〔2021〕1号",
        D(2021, 1, 1),
        D(2021, 1, 1),
        null,
        [
            new RuleDraft("national-little-giant", AwardTrigger.Recognition, 500000m, AmountKind.UpTo),
            new RuleDraft("provincial-srdi", AwardTrigger.Recognition, 300000m, AmountKind.UpTo),
            new RuleDraft("municipal-srdi", AwardTrigger.Recognition, 100000m, AmountKind.UpTo),
            new RuleDraft("national-little-giant", AwardTrigger.Renewal, 150000m, AmountKind.Fixed),
            new RuleDraft("provincial-srdi", AwardTrigger.Renewal, 100000m, AmountKind.Fixed),
            new RuleDraft("municipal-srdi", AwardTrigger.Renewal, 50000m, AmountKind.Fixed),
        ],
        Stacking.HighestOnly,
        [new FundingShare(FundingLevel.County, 100m)],
        5,
        null);

    public static readonly PolicyDraft JiaxingDraft = new(
        "嘉兴市专精特新奖励",
        "嘉政发〔2022〕1号",
        D(2022, 1, 1),
        D(2022, 1, 1),
        null,
        [
            new RuleDraft("national-little-giant", AwardTrigger.Recognition, 1500000m, AmountKind.Fixed),
            new RuleDraft("provincial-hidden-champion", AwardTrigger.Recognition, 500000m, AmountKind.Fixed),
        ],
        Stacking.Cumulative,
        [new FundingShare(FundingLevel.City, 50m), new FundingShare(FundingLevel.County, 50m)],
        7,
        1000000m);

    /// <summary>Takes effect 2023-02-19 but counts from 2022-01-01 (seed 003), until the end of 2025.</summary>
    public static readonly PolicyDraft HaiyanDraft = new(
        "海盐县专精特新企业培育奖励",
        "盐政办发〔2023〕5号",
        D(2023, 2, 19),
        D(2022, 1, 1),
        D(2025, 12, 31),
        [
            new RuleDraft("provincial-srdi", AwardTrigger.Recognition, 100000m, AmountKind.Fixed),
            new RuleDraft("national-little-giant", AwardTrigger.Recognition, 300000m, AmountKind.Fixed),
        ],
        Stacking.HighestOnly,
        [new FundingShare(FundingLevel.County, 100m)],
        5,
        null);

    public static IssueAwardPolicy IssueXishan => new(Xishan, "无锡市锡山区", XishanDraft, Admin, At);
    public static IssueAwardPolicy IssueJiaxing => new(Jiaxing, "嘉兴市", JiaxingDraft, Admin, At);
    public static IssueAwardPolicy IssueHaiyan => new(Haiyan, "海盐县", HaiyanDraft, Admin, At);

    public static AwardPolicyIssued Issued(IssueAwardPolicy command) =>
        AwardPolicyDecider.Decide(command, AwardPolicyState.Initial, Data);

    public static AwardPolicyIssued XishanIssued => Issued(IssueXishan);
    public static AwardPolicyIssued JiaxingIssued => Issued(IssueJiaxing);
    public static AwardPolicyIssued HaiyanIssued => Issued(IssueHaiyan);
}
