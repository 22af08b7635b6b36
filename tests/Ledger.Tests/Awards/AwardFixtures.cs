using Ledger.Awards;
using Ledger.Designations;
using Ledger.Policies;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Awards;

internal static class AwardFixtures
{
    public static readonly Guid EnterpriseA = new("a0000000-0000-4000-8000-00000000000a");
    public static readonly Guid EnterpriseB = new("b0000000-0000-4000-8000-00000000000b");
    public static readonly Guid EnterpriseC = new("c0000000-0000-4000-8000-00000000000c");
    public const string AwardRun = "award-run";

    public const string LittleGiant = "national-little-giant";
    public const string Provincial = "provincial-srdi";
    public const string Municipal = "municipal-srdi";
    public const string HiddenChampion = "provincial-hidden-champion";

    public static AwardTriggerFact Recognition(string tier, LocalDate on, string county = Xishan, Guid? enterprise = null, int round = 1) =>
        Fact(tier, AwardTrigger.Recognition, on, county, enterprise, round);

    public static AwardTriggerFact Renewal(string tier, LocalDate on, string county = Xishan, Guid? enterprise = null) =>
        Fact(tier, AwardTrigger.Renewal, on, county, enterprise, 1);

    public static AwardDetermined? Determine(History history, AwardTriggerFact fact, Guid policyId) =>
        AwardCalculator.Determine(fact, history.Policy(policyId), history.Awards(), Data, AwardRun, At);

    /// <summary>The award the calculator determines for <paramref name="fact"/> after <paramref name="history"/>: for Given(…).</summary>
    public static AwardDetermined Determined(AwardTriggerFact fact, params object[] history)
    {
        var h = new History(history);
        var policyId = history.OfType<IAwardPolicyEvent>().Last().PolicyId;
        return Determine(h, fact, policyId) ?? throw new InvalidOperationException("the fixture expected an award");
    }

    private static AwardTriggerFact Fact(string tier, AwardTrigger trigger, LocalDate on, string county, Guid? enterprise, int round)
    {
        var id = enterprise ?? EnterpriseA;
        return new AwardTriggerFact(DesignationDecider.StreamId(id, tier, round), id, county, tier, trigger, on);
    }
}
