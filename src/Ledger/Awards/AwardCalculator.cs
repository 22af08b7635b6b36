using System.Globalization;
using Ledger.Policies;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Awards;

/// <summary>
/// 免申即享: works out, from a recognition or renewal and a policy, the award it earns, so nobody types an amount.
/// Pure: the caller passes the policy (all versions) and the awards already determined.
/// </summary>
public static class AwardCalculator
{
    /// <summary>
    /// Stream id of an award: UUID v5 of designation + policy + trigger + trigger date, so replaying the same
    /// recognition against the same policy finds the award it already determined.
    /// </summary>
    public static Guid AwardId(Guid designationId, Guid policyId, AwardTrigger trigger, LocalDate triggerDate) =>
        DeterministicGuid.Create(string.Create(
            CultureInfo.InvariantCulture,
            $"award:{designationId:D}:{policyId:D}:{trigger.ToString().ToLowerInvariant()}:{triggerDate:uuuu-MM-dd}"));

    /// <summary>
    /// The award <paramref name="fact"/> earns under <paramref name="policy"/>, or null when the policy does not cover it,
    /// has no rule for it, already determined it, or (highest-only) earlier awards already reach the rule amount.
    /// </summary>
    /// <param name="existingAwards">
    /// The enterprise's awards under this policy (more is harmless: others are ignored). Cancelled ones are ignored for
    /// stacking but still count as "already determined", so a cancelled award is never determined again by a replay.
    /// </param>
    public static AwardDetermined? Determine(
        AwardTriggerFact fact,
        AwardPolicyState policy,
        IReadOnlyCollection<AwardState> existingAwards,
        ReferenceData reference,
        string actor,
        Instant at)
    {
        if (!policy.IsIssued)
        {
            return null;
        }
        var awardId = AwardId(fact.DesignationId, policy.Id, fact.Trigger, fact.Date);
        if (existingAwards.Any(a => a.Id == awardId))
        {
            return null;
        }
        // A retired policy covers nothing decided on or after its retirement date.
        if (policy.RetiredOn is { } retiredOn && retiredOn <= fact.Date)
        {
            return null;
        }
        if (!reference.IsWithin(fact.CountyCode, policy.IssuerCode))
        {
            return null;
        }
        var version = policy.VersionFor(fact.Date);
        var terms = version.Terms;
        if (!terms.Applies(fact.Date) || terms.FindRule(fact.Tier, fact.Trigger) is not { } rule)
        {
            return null;
        }

        IReadOnlyList<StackingOffset> offsets = fact.Trigger == AwardTrigger.Recognition && terms.Stacking == Stacking.HighestOnly
            ? HighestOnlyOffsets(fact, policy.Id, existingAwards)
            : [];
        var amount = offsets.Aggregate(rule.Amount, (left, o) => left - o.Amount);
        if (!amount.IsPositive)
        {
            return null;
        }
        var determinationDate = LocalDate.Max(fact.Date, version.EffectiveFrom);
        return new AwardDetermined(
            awardId,
            fact.DesignationId,
            fact.EnterpriseId,
            fact.CountyCode,
            policy.Id,
            version.Number,
            rule,
            fact.Date,
            determinationDate,
            amount,
            offsets,
            FundingSplit.For(amount, terms.FundingSplit, policy.IssuerCode, fact.CountyCode, reference),
            AwardExplanation.For(version, rule, fact, offsets, amount, determinationDate, reference),
            Require.Text(actor, "award.field-required", "actor"),
            at);
    }

    /// <summary>
    /// Determines the awards a policy owes for facts that have none under it yet: for a policy issued or amended after
    /// the facts (retroactive policies). Facts are taken in date order, lower tiers first on the same day, so that
    /// highest-only stacking sees the earlier awards, including the ones this run determines.
    /// </summary>
    public static IReadOnlyList<AwardDetermined> CatchUp(
        AwardPolicyState policy,
        IEnumerable<AwardTriggerFact> facts,
        IReadOnlyCollection<AwardState> existingAwards,
        ReferenceData reference,
        string actor,
        Instant at)
    {
        var awards = existingAwards.ToList();
        var determined = new List<AwardDetermined>();
        var ordered = facts
            .OrderBy(f => f.Date)
            .ThenBy(f => reference.FindTier(f.Tier)?.Rank ?? int.MaxValue)
            .ThenBy(f => f.Trigger)
            .ThenBy(f => f.DesignationId);
        foreach (var fact in ordered)
        {
            if (Determine(fact, policy, awards, reference, actor, at) is { } award)
            {
                determined.Add(award);
                awards.Add(AwardDecider.Evolve(AwardState.Initial, award));
            }
        }
        return determined;
    }

    /// <summary>
    /// 就高不重复 between recognition awards of one policy: the new award is reduced by every recognition award this
    /// policy already determined (and did not cancel) for the enterprise. For an upgrade those are the lower tiers'
    /// awards, so it pays the difference (docs/decisions.md). We also count awards of the same or a higher rank: a later
    /// recognition at a tier already matched or exceeded (a parallel honour, a lower tier recognised after a higher
    /// one, a new round of the same tier) would otherwise be paid twice, which is exactly what 不重复 forbids.
    /// </summary>
    private static IReadOnlyList<StackingOffset> HighestOnlyOffsets(
        AwardTriggerFact fact, Guid policyId, IEnumerable<AwardState> existingAwards) =>
        [.. existingAwards
            .Where(a => a.Status == AwardStatus.Determined
                && a.PolicyId == policyId
                && a.EnterpriseId == fact.EnterpriseId
                && a.Rule?.Trigger == AwardTrigger.Recognition)
            .OrderBy(a => a.TriggerDate)
            .ThenBy(a => a.Id)
            .Select(a => new StackingOffset(a.Id, a.Rule!.Tier, a.Amount))];
}
