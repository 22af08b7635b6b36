using System.Text.Json.Serialization;
using Ledger.EventStore;
using NodaTime;

namespace Ledger.Policies;

/// <summary>An event of an award policy stream (one issuer × document number).</summary>
public interface IAwardPolicyEvent
{
    Guid PolicyId { get; }
}

/// <summary>Version 1 of a policy. <see cref="Key"/>: the alias import files name it by (policy_key), if it was given one.</summary>
[EventType("award-policy-issued")]
public sealed record AwardPolicyIssued(
    Guid PolicyId,
    string IssuerCode,
    string IssuerName,
    PolicyTerms Terms,
    string Actor,
    Instant IssuedAt,
    string? Key = null) : IAwardPolicyEvent;

/// <summary>The full terms of version <see cref="Version"/>; they apply to recognitions decided from their effective-from.</summary>
[EventType("award-policy-amended")]
public sealed record AwardPolicyAmended(
    Guid PolicyId,
    int Version,
    PolicyTerms Terms,
    string Reason,
    string Actor,
    Instant AmendedAt) : IAwardPolicyEvent;

/// <summary>The policy covers no trigger dated on or after <see cref="RetiredOn"/>; awards already determined stay payable.</summary>
[EventType("award-policy-retired")]
public sealed record AwardPolicyRetired(
    Guid PolicyId,
    LocalDate RetiredOn,
    string Reason,
    string Actor,
    Instant RetiredAt) : IAwardPolicyEvent;

/// <summary>
/// The terms of one policy version. <see cref="AppliesTo"/> null = open-ended. <see cref="DualApprovalThreshold"/>
/// null = the ledger's configured default.
/// </summary>
public sealed record PolicyTerms(
    string Title,
    string DocumentNumber,
    LocalDate EffectiveFrom,
    LocalDate AppliesFrom,
    LocalDate? AppliesTo,
    IReadOnlyList<AwardRule> Rules,
    Stacking Stacking,
    IReadOnlyList<FundingShare> FundingSplit,
    int PublicityWorkingDays,
    Money? DualApprovalThreshold)
{
    public bool Applies(LocalDate date) => AppliesFrom <= date && (AppliesTo is null || date <= AppliesTo);

    public AwardRule? FindRule(string tier, AwardTrigger trigger) =>
        Rules.FirstOrDefault(r => r.Tier == tier && r.Trigger == trigger);
}

/// <summary>Pays <see cref="Amount"/> (exactly, or at most for <see cref="AmountKind.UpTo"/>) when a tier is recognised or renewed.</summary>
public sealed record AwardRule(string Tier, AwardTrigger Trigger, Money Amount, AmountKind Kind);

/// <summary>The part of each award charged to one government level, in percent (e.g. city 50, county 50).</summary>
public sealed record FundingShare(FundingLevel Level, decimal Percent);

[JsonConverter(typeof(JsonStringEnumConverter<Stacking>))]
public enum Stacking
{
    /// <summary>就高不重复: an upgrade pays the difference to what this policy already awarded.</summary>
    [JsonStringEnumMemberName("highest-only")] HighestOnly,
    [JsonStringEnumMemberName("cumulative")] Cumulative,
}

[JsonConverter(typeof(JsonStringEnumConverter<AwardTrigger>))]
public enum AwardTrigger
{
    [JsonStringEnumMemberName("recognition")] Recognition,
    [JsonStringEnumMemberName("renewal")] Renewal,
}

[JsonConverter(typeof(JsonStringEnumConverter<AmountKind>))]
public enum AmountKind
{
    [JsonStringEnumMemberName("fixed")] Fixed,
    /// <summary>最高: determined at the rule amount, may be re-determined lower with a reason.</summary>
    [JsonStringEnumMemberName("up-to")] UpTo,
}

/// <summary>Government levels that fund awards, most senior first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FundingLevel>))]
public enum FundingLevel
{
    [JsonStringEnumMemberName("province")] Province,
    [JsonStringEnumMemberName("city")] City,
    [JsonStringEnumMemberName("county")] County,
}
