using NodaTime;

namespace Ledger.Policies;

/// <summary>
/// Policy terms as typed by the administrator. Amounts are plain decimals here so that validation can report an
/// amount with too many decimals alongside every other problem instead of failing on the first.
/// </summary>
public sealed record PolicyDraft(
    string Title,
    string DocumentNumber,
    LocalDate EffectiveFrom,
    LocalDate AppliesFrom,
    LocalDate? AppliesTo,
    IReadOnlyList<RuleDraft> Rules,
    Stacking Stacking,
    IReadOnlyList<FundingShare> FundingSplit,
    int PublicityWorkingDays,
    decimal? DualApprovalThreshold);

public sealed record RuleDraft(string Tier, AwardTrigger Trigger, decimal Amount, AmountKind Kind);

/// <param name="Key">An alias kept with the policy (an import's <c>policy_key</c>) by which import files name it; null for none.</param>
public sealed record IssueAwardPolicy(string IssuerCode, string IssuerName, PolicyDraft Terms, string Actor, Instant At, string? Key = null) : ILedgerCommand<Guid>
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };

    /// <summary>The stream this command creates.</summary>
    public Guid PolicyId => AwardPolicyDecider.StreamId(IssuerCode, Terms.DocumentNumber);
}

public sealed record AmendAwardPolicy(Guid PolicyId, PolicyDraft Terms, string Reason, string Actor, Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

public sealed record RetireAwardPolicy(Guid PolicyId, LocalDate RetiredOn, string Reason, string Actor, Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}
