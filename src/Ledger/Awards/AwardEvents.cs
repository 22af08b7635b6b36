using Ledger.EventStore;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Awards;

/// <summary>An event of an award stream (one designation × policy × trigger × trigger date).</summary>
public interface IAwardEvent
{
    Guid AwardId { get; }
}

/// <summary>
/// 核定: the award a recognition or passed renewal earned under one version of one policy, with everything a clerk
/// needs to check it by hand: the rule, the awards it was offset against, the split and a Chinese explanation.
/// <see cref="DeterminationDate"/> is the business date (the later of the trigger date and the version's effective-from).
/// </summary>
[EventType("award-determined")]
public sealed record AwardDetermined(
    Guid AwardId,
    Guid DesignationId,
    Guid EnterpriseId,
    string CountyCode,
    Guid PolicyId,
    int PolicyVersion,
    AwardRule Rule,
    LocalDate TriggerDate,
    LocalDate DeterminationDate,
    Money Amount,
    IReadOnlyList<StackingOffset> Offsets,
    IReadOnlyList<FundingAmount> Funding,
    string Explanation,
    string Actor,
    Instant DeterminedAt) : IAwardEvent;

/// <summary>An up-to award determined lower, with the reason; <see cref="PaidAmount"/> is what had been paid then.</summary>
[EventType("award-redetermined")]
public sealed record AwardRedetermined(
    Guid AwardId,
    Money PreviousAmount,
    Money NewAmount,
    Money PaidAmount,
    IReadOnlyList<FundingAmount> Funding,
    string Reason,
    string Actor,
    Instant RedeterminedAt,
    LocalDate? DecidedOn = null) : IAwardEvent
{
    /// <summary>The business date of the re-determination: when it was decided, else the day it was recorded (in China).</summary>
    public LocalDate EffectiveOn => DecidedOn ?? ChinaTime.DateOf(RedeterminedAt);
}

/// <summary>
/// The unpaid part (<see cref="CancelledAmount"/>) will never be paid. What was paid stays paid; getting it back is a
/// clawback, not a cancellation. <see cref="Cancelled"/> is the unpaid part per funding level (each share less what
/// that level paid and the bank did not return), so the determined totals by funding source reverse exactly.
/// </summary>
[EventType("award-cancelled")]
public sealed record AwardCancelled(
    Guid AwardId,
    string Reason,
    Money PaidAmount,
    Money CancelledAmount,
    IReadOnlyList<FundingAmount> Cancelled,
    string Actor,
    Instant CancelledAt) : IAwardEvent;

/// <summary>An earlier award of the same policy that a highest-only (就高不重复) award was reduced by.</summary>
public sealed record StackingOffset(Guid AwardId, string Tier, Money Amount);

/// <summary>The part of an award charged to one level's budget: the issuer's own, or the enterprise's division at that level.</summary>
public sealed record FundingAmount(FundingLevel Level, string DivisionCode, decimal Percent, Money Amount);

/// <summary>
/// One step of a highest-only (就高不重复) stack: the recognition awards one policy determined for one enterprise, in
/// order. The stack is a stream of its own (policy × enterprise) appended in the same commit as the award, so two
/// determinations that offset against each other cannot pass each other unseen: the later one decided on the same
/// stack version and gets a conflict.
/// </summary>
[EventType("award-stacked")]
public sealed record AwardStacked(Guid PolicyId, Guid EnterpriseId, Guid AwardId, string Tier, Money Amount, Instant StackedAt)
{
    public static Guid StreamId(Guid policyId, Guid enterpriseId) =>
        DeterministicGuid.Create($"award-stack:{policyId:D}:{enterpriseId:D}");
}
