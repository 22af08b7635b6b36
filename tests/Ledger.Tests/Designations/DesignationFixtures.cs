using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.Imports;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Designations;

/// <summary>Events of one Xishan enterprise's designations, as the decider would have produced them.</summary>
internal static class DesignationFixtures
{
    public static readonly Guid Enterprise = new("5e1f0a2b-0000-4000-8000-000000000001");
    public const string Uscc = "91320205MA1MXXXX2B";
    public const string Clerk = "clerk-xishan";
    public const string Provincial = "provincial-srdi";
    public const string Innovative = "innovative-sme";
    public const string Batch = "import-2024-03";

    /// <summary>The enterprise, registered in Xishan.</summary>
    public static EnterpriseRegistered Registered(string county = Xishan) =>
        new(Enterprise, Uscc, "锡山智造有限公司", county, "制造业", null, Clerk, At);

    /// <summary>The enterprise as the history has it, or registered in Xishan when the history does not say.</summary>
    public static Ledger.Enterprises.Enterprise Firm(History h) =>
        h.HasEnterprise(Enterprise) ? h.Enterprise(Enterprise) : Ledger.Enterprises.Enterprise.Fold(null, Registered())!;

    /// <summary>The authority that recognises the tier for a Xishan (Wuxi, Jiangsu) enterprise.</summary>
    public static RecognisingAuthority AuthorityFor(string tier, string county = Xishan) => tier switch
    {
        "national-little-giant" or "national-single-champion" => new("100000", "工业和信息化部"),
        "municipal-srdi" => new(Data.FindDivision(county)!.ParentCode!, "无锡市工业和信息化局"),
        _ => new("320000", "江苏省工业和信息化厅"),
    };

    public static Guid Id(string tier = Provincial, int round = 1) => DesignationDecider.StreamId(Enterprise, tier, round);

    public static DeclarationSubmitted Declared(string tier = Provincial, int round = 1, LocalDate? on = null) =>
        new(Id(tier, round), Enterprise, Uscc, Xishan, tier, round, on ?? D(2022, 3, 1), Clerk, At);

    public static DeclarationReviewed Reviewed(
        ReviewLevel level = ReviewLevel.County, ReviewOutcome outcome = ReviewOutcome.Recommended, string tier = Provincial, int round = 1) =>
        new(Id(tier, round), level, outcome, "reviewer-" + level.ToString().ToLowerInvariant(), null, D(2022, 4, 1), Clerk, At);

    public const string DocumentNumber = "苏工信中小〔2022〕100号";

    /// <summary>A recognition as the decider records it; a historical one names <see cref="Batch"/> and the rules it skipped.</summary>
    public static DesignationRecognized Recognized(
        string tier = Provincial, int round = 1, LocalDate? on = null, bool historical = false, LocalDate? validTo = null,
        string county = Xishan, params SkippedRule[] alsoSkipped)
    {
        var from = on ?? D(2022, 6, 1);
        var authority = AuthorityFor(tier, county);
        IReadOnlyList<SkippedRule> skipped = historical
            ? [new(ImportRule.DeclarationAndReviews, Batch, Clerk, $"{tier} recognised by {authority.Name} ({DocumentNumber}) on {from:uuuu-MM-dd}; the ledger holds no declaration or review of it"), .. alsoSkipped]
            : [];
        return new(Id(tier, round), Enterprise, Uscc, county, tier, round, authority.Name, authority.DivisionCode, DocumentNumber,
            from, from, validTo ?? from.PlusYears(3).PlusDays(-1), historical, historical ? Batch : null, null, skipped, Clerk, At);
    }

    /// <summary>The innovative-SME designation provincial SRDI requires, imported, valid 2022-06-01 (the tier's first day) … 2025-05-31.</summary>
    public static DesignationRecognized InnovativeHeld() => Recognized(Innovative, on: D(2022, 6, 1), historical: true);

    public static RenewalReviewed Renewal(
        RenewalOutcome outcome, LocalDate decidedOn, LocalDate? newValidTo, string tier = Provincial, int round = 1, string county = Xishan) =>
        new(Id(tier, round), outcome, decidedOn, newValidTo, county, "复审组", null, Clerk, At);

    public static DesignationRevoked Revoked(string tier = Provincial, int round = 1) =>
        new(Id(tier, round), "申报材料弄虚作假", D(2023, 1, 10), true, Clerk, At);

    public static DesignationExpired Expired(string tier = Provincial, int round = 1) =>
        new(Id(tier, round), D(2025, 6, 1), "expiry-run", At);

    /// <summary>The provincial SRDI designation brought to each status, on top of the innovative SME it needs.</summary>
    public static object[] InStatus(DesignationStatus status) => status switch
    {
        DesignationStatus.None => [InnovativeHeld()],
        DesignationStatus.Declared => [InnovativeHeld(), Declared()],
        DesignationStatus.Recommended => [InnovativeHeld(), Declared(), Reviewed()],
        DesignationStatus.Rejected => [InnovativeHeld(), Declared(), Reviewed(outcome: ReviewOutcome.Rejected)],
        DesignationStatus.Recognized => [InnovativeHeld(), Declared(), Reviewed(), Recognized()],
        DesignationStatus.Expired => [InnovativeHeld(), Declared(), Reviewed(), Recognized(), Expired()],
        DesignationStatus.RenewalFailed => [InnovativeHeld(), Declared(), Reviewed(), Recognized(), Renewal(RenewalOutcome.Failed, D(2025, 5, 20), null)],
        DesignationStatus.Revoked => [InnovativeHeld(), Declared(), Reviewed(), Recognized(), Revoked()],
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static SubmitDeclaration Submit(string tier = Provincial, LocalDate? on = null) =>
        new(Enterprise, Uscc, Xishan, tier, on ?? D(2022, 3, 1), Clerk, At);

    public static RecognizeDesignation Recognize(
        string tier = Provincial, LocalDate? on = null, PrerequisiteOverride? prerequisiteOverride = null,
        HistoricalImport? historical = null, LocalDate? validFrom = null, LocalDate? validTo = null, RecognisingAuthority? authority = null) =>
        new(Enterprise, tier, authority ?? AuthorityFor(tier), DocumentNumber, on ?? D(2022, 6, 1),
            validFrom, validTo, prerequisiteOverride, Clerk, At, historical);

    public static ReviewRenewal RenewalCommand(RenewalOutcome outcome, LocalDate decidedOn, LocalDate? newValidTo = null) =>
        new(Id(), outcome, decidedOn, newValidTo, "复审组", null, Clerk, At);

    public static RevokeDesignation Revoke() => new(Id(), "申报材料弄虚作假", D(2023, 1, 10), true, Clerk, At);
}
