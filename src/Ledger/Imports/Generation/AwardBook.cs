using Ledger.Awards;
using Ledger.Designations;
using Ledger.Policies;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Imports.Generation;

/// <summary>
/// One enterprise's awards as the import will determine them: the ledger's own <see cref="AwardCalculator"/> and
/// <see cref="AwardDecider"/> run over its recognitions and renewals in date order, lowerings applied on the day of the
/// award they lower (as the import applies them), so a generated payment never exceeds the share the import determines.
/// </summary>
internal sealed class AwardBook(ReferenceData reference)
{
    private const string Actor = "generator";

    // The instant only stamps the awards the calculator returns; nothing written to the files depends on it.
    private static readonly Instant At = Instant.FromUtc(2026, 1, 1, 0, 0);

    private readonly List<AwardState> _awards = [];

    /// <summary>Starts the next enterprise.</summary>
    public void Clear() => _awards.Clear();

    /// <summary>
    /// The award <paramref name="policy"/> determines for round 1 of <paramref name="tier"/> of the enterprise, or null
    /// when it determines none (not covered, no rule, before the policy applies, highest-only already reached).
    /// </summary>
    public AwardState? Determine(AwardPolicyState policy, Guid enterpriseId, string countyCode, string tier, AwardTrigger trigger, LocalDate date)
    {
        var fact = new AwardTriggerFact(DesignationDecider.StreamId(enterpriseId, tier, 1), enterpriseId, countyCode, tier, trigger, date);
        if (AwardCalculator.Determine(fact, policy, _awards, reference, Actor, At) is not { } determined)
        {
            return null;
        }
        var award = AwardDecider.Evolve(AwardState.Initial, determined);
        _awards.Add(award);
        return award;
    }

    /// <summary>Re-determines an up-to award lower before anything was paid on it; answers the award as lowered.</summary>
    public AwardState Lower(AwardState award, Money amount, string reason)
    {
        ArgumentNullException.ThrowIfNull(award);
        var lowered = AwardDecider.Evolve(award, AwardDecider.Decide(new RedetermineAward(award.Id, amount, reason, Actor, At), award, Money.Zero));
        _awards[_awards.FindIndex(a => a.Id == award.Id)] = lowered;
        return lowered;
    }
}
