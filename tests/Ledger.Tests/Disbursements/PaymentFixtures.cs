using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Reference;
using Ledger.Tests.Reference;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Awards.AwardFixtures;
using static Ledger.Tests.Policies.TestPolicies;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Disbursements;

/// <summary>
/// Three awards determined on Friday 2024-09-27, just before National Day, and budget lines for 2024:
/// <list type="bullet">
/// <item>a Jiaxing little giant award of 1,500,000 for a Haiyan enterprise, half from the city (330400), half from
/// the county (330424); Jiaxing's policy sets a dual-approval threshold of 1,000,000 and 7 publicity days;</item>
/// <item>a Jiaxing hidden champion award of 500,000, split the same way, below that threshold;</item>
/// <item>a Xishan provincial SRDI award of up to 300,000, all from the county (320205); Xishan sets no threshold
/// (the configured default applies) and 5 publicity days.</item>
/// </list>
/// </summary>
internal static class PaymentFixtures
{
    public const string Clerk = "clerk-li";
    public const string ApproverWang = "approver-wang";
    public const string ApproverZhao = "approver-zhao";
    public const string ApproverSun = "approver-sun";

    public static readonly Guid D1 = new("d1000000-0000-4000-8000-000000000001");
    public static readonly Guid D2 = new("d2000000-0000-4000-8000-000000000002");
    public static readonly Guid D3 = new("d3000000-0000-4000-8000-000000000003");
    public static readonly Guid C1 = new("c1000000-0000-4000-8000-0000000000c1");
    public static readonly Guid C2 = new("c2000000-0000-4000-8000-0000000000c2");

    /// <summary>Monday 2024-11-04, 10:00 in China: every publicity period of the fixtures is over.</summary>
    public static readonly Instant Now = Instant.FromUtc(2024, 11, 4, 2, 0);

    public static readonly WorkingDayCalendar Calendar = ShippedReferenceData.Instance.Calendar;

    /// <summary>The default threshold is 1,000,000; one approver below it, two at or above it.</summary>
    public static readonly ApprovalSettings Settings = new(Money.Of(1_000_000m));

    public static readonly AwardPolicyIssued JiaxingPolicy = JiaxingIssued;
    public static readonly AwardPolicyIssued XishanPolicy = XishanIssued;

    public static readonly AwardDetermined LittleGiantAward = Determined(Recognition(LittleGiant, D(2024, 9, 27), Haiyan), JiaxingPolicy);
    public static readonly AwardDetermined HiddenChampionAward = Determined(Recognition(HiddenChampion, D(2024, 9, 27), Haiyan), JiaxingPolicy);
    public static readonly AwardDetermined XishanAward = Determined(Recognition(Provincial, D(2024, 9, 27), Xishan, EnterpriseB), XishanPolicy);

    public static readonly BankAccount AccountA = new("中国工商银行海盐支行", "海盐精工有限公司", "1204060109000012345");
    public static readonly BankAccount AccountB = new("江苏银行无锡锡山支行", "锡山智造有限公司", "32110188000099887");

    public static readonly BudgetLineKey JiaxingCity2024 = new(JiaxingCode, 2024, FundingLevel.City);
    public static readonly BudgetLineKey HaiyanCounty2024 = new(Haiyan, 2024, FundingLevel.County);
    public static readonly BudgetLineKey HaiyanCounty2025 = new(Haiyan, 2025, FundingLevel.County);
    public static readonly BudgetLineKey XishanCounty2024 = new(Xishan, 2024, FundingLevel.County);

    private const string JiaxingCode = TestReference.Jiaxing;

    /// <summary>Policies, enterprises, recognitions, the three awards and 5,000,000 on each 2024 line.</summary>
    public static object[] Basics =>
    [
        JiaxingPolicy, XishanPolicy,
        Registered(EnterpriseA, Haiyan, AccountA), Registered(EnterpriseB, Xishan, AccountB),
        RecognizedFor(LittleGiantAward), RecognizedFor(HiddenChampionAward), RecognizedFor(XishanAward),
        LittleGiantAward, HiddenChampionAward, XishanAward,
        Appropriated(JiaxingCity2024, 5_000_000m), Appropriated(HaiyanCounty2024, 5_000_000m), Appropriated(XishanCounty2024, 5_000_000m),
    ];

    public static EnterpriseRegistered Registered(Guid enterprise, string county, BankAccount? account) =>
        new(enterprise, "91350100M000100Y43", enterprise == EnterpriseA ? "海盐精工有限公司" : "锡山智造有限公司", county, "C34", account, "clerk", At);

    public static DesignationRecognized RecognizedFor(AwardDetermined award) =>
        new(award.DesignationId, award.EnterpriseId, "91350100M000100Y43", award.CountyCode, award.Rule.Tier, 1, "浙江省经济和信息化厅", "330000", "浙经信〔2024〕1号",
            award.TriggerDate, award.TriggerDate, award.TriggerDate.PlusYears(3).PlusDays(-1), false, null, null, [], "clerk", At);

    public static DesignationRevoked RevokedFor(AwardDetermined award, bool clawback = false) =>
        new(award.DesignationId, "申报数据造假", D(2024, 11, 1), clawback, "admin", Now);

    public static BudgetAppropriated Appropriated(BudgetLineKey line, decimal amount) =>
        new(BudgetLineKey.StreamId(line), line, Money.Of(amount), "admin", At);

    public static BudgetLineKey LineOf(AwardDetermined award, FundingLevel level, int year = 2024) =>
        new(award.Funding.Single(f => f.Level == level).DivisionCode, year, level);

    // ---- given: what earlier commands recorded ----

    public static DisbursementRequested Requested(
        AwardDetermined award, Guid id, decimal amount, FundingLevel level, int year = 2024, string requester = Clerk) =>
        new(award.AwardId, id, Money.Of(amount), level, LineOf(award, level).DivisionCode, year, award.EnterpriseId,
            award.EnterpriseId == EnterpriseA ? AccountA : AccountB, requester, Now);

    public static DisbursementApproved Approval(AwardDetermined award, Guid id, string approver, int required = 1, bool final = true) =>
        new(award.AwardId, id, approver, required, final, false, null, [], approver, Now);

    public static BudgetReserved Reserved(AwardDetermined award, Guid id, decimal amount, BudgetLineKey line, string actor = ApproverWang) =>
        new(BudgetLineKey.StreamId(line), line, id, award.AwardId, Money.Of(amount), actor, Now);

    /// <summary>Requested and approved by one approver (the award must need only one), amount reserved.</summary>
    public static object[] ApprovedTranche(AwardDetermined award, Guid id, decimal amount, FundingLevel level, int year = 2024) =>
    [
        Requested(award, id, amount, level, year),
        Approval(award, id, ApproverWang),
        Reserved(award, id, amount, LineOf(award, level, year)),
    ];

    /// <summary>Requested, approved and paid on <paramref name="valueDate"/>.</summary>
    public static object[] PaidTranche(AwardDetermined award, Guid id, decimal amount, FundingLevel level, LocalDate valueDate) =>
    [
        .. ApprovedTranche(award, id, amount, level, valueDate.Year),
        new DisbursementPaid(award.AwardId, id, Money.Of(amount), "GK-" + id.ToString()[..4], valueDate, award.CountyCode, null, [], Clerk, Now),
        new BudgetPaid(BudgetLineKey.StreamId(LineOf(award, level, valueDate.Year)), LineOf(award, level, valueDate.Year), id, award.AwardId, Money.Of(amount), valueDate, Clerk, Now),
    ];

    // ---- when: the deciders, fed from the given history as a handler would load them ----

    public static Decision Request(
        History h, AwardDetermined award, Guid id, decimal amount, FundingLevel level, int? year = 2024, string requester = Clerk, Instant? at = null) =>
        DisbursementDecider.Decide(
            new RequestDisbursement(award.AwardId, id, amount, level, year, requester, at ?? Now),
            h.Account(award.AwardId), h.Designation(award.DesignationId), h.Enterprise(award.EnterpriseId));

    public static Decision Approve(
        History h, AwardDetermined award, Guid id, string approver, Instant? at = null, ApprovalSettings? settings = null, HistoricalApproval? historical = null)
    {
        var account = h.Account(award.AwardId);
        var line = account.Find(id) is { } disbursement ? h.Line(disbursement.ReservationLine) : BudgetLine.Initial(JiaxingCity2024);
        return DisbursementDecider.Decide(
            new ApproveDisbursement(award.AwardId, id, approver, at ?? Now, historical),
            account, h.Designation(award.DesignationId), h.Policy(award.PolicyId), line, settings ?? Settings, Calendar);
    }

    public static Decision Pay(
        History h, AwardDetermined award, Guid id, LocalDate valueDate, string voucher = "GK2024-0001", Instant? at = null, HistoricalImport? historical = null) =>
        DisbursementDecider.Decide(
            new RecordDisbursementPayment(award.AwardId, id, voucher, valueDate, Clerk, at ?? Now, historical),
            h.Account(award.AwardId), h.Designation(award.DesignationId), h.Enterprise(award.EnterpriseId), Calendar);

    public static Decision Return(History h, AwardDetermined award, Guid id, LocalDate returnedOn, Instant? at = null) =>
        DisbursementDecider.Decide(
            new RecordDisbursementReturn(award.AwardId, id, returnedOn, "账户已销户", Clerk, at ?? Now), h.Account(award.AwardId));

    public static Decision Reject(History h, AwardDetermined award, Guid id) =>
        DisbursementDecider.Decide(new RejectDisbursement(award.AwardId, id, "材料不全", ApproverWang, Now), h.Account(award.AwardId));

    public static Decision Cancel(History h, AwardDetermined award, Guid id) =>
        DisbursementDecider.Decide(new CancelDisbursement(award.AwardId, id, "企业申请撤回", Clerk, Now), h.Account(award.AwardId));

    /// <summary>2024-xx-xx at 10:00 in China.</summary>
    public static Instant On(int month, int day, int year = 2024) => Instant.FromUtc(year, month, day, 2, 0);
}
