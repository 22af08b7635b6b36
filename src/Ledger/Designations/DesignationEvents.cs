using System.Text.Json.Serialization;
using Ledger.EventStore;
using Ledger.Imports;
using NodaTime;

namespace Ledger.Designations;

/// <summary>An event of a designation stream (one enterprise × tier × round).</summary>
public interface IDesignationEvent
{
    Guid DesignationId { get; }
}

/// <summary>申报: the enterprise declared for a tier; starts a round.</summary>
[EventType("declaration-submitted")]
public sealed record DeclarationSubmitted(
    Guid DesignationId,
    Guid EnterpriseId,
    string Uscc,
    string CountyCode,
    string Tier,
    int Round,
    LocalDate DeclaredOn,
    string Actor,
    Instant SubmittedAt) : IDesignationEvent;

/// <summary>初审/推荐 at one level: recommended passes it up, rejected ends the round.</summary>
[EventType("declaration-reviewed")]
public sealed record DeclarationReviewed(
    Guid DesignationId,
    ReviewLevel Level,
    ReviewOutcome Outcome,
    string Reviewer,
    string? Note,
    LocalDate ReviewedOn,
    string Actor,
    Instant ReviewedAt) : IDesignationEvent;

/// <summary>
/// 认定. Carries the enterprise, county, tier and round itself because a historical import starts the
/// stream with it (no declaration before it), and so that award calculation needs no other event.
/// <see cref="CountyCode"/> is the county the enterprise was in on <see cref="RecognizedOn"/>.
/// <see cref="Authority"/> is the recognising department's name as printed, <see cref="AuthorityCode"/> the division it
/// belongs to (null only on events recorded before authorities were coded). A historical recognition names its
/// <see cref="ImportBatch"/> and lists in <see cref="SkippedRules"/> every rule the import did not apply (null on events
/// recorded before imports listed them).
/// </summary>
[EventType("designation-recognized")]
public sealed record DesignationRecognized(
    Guid DesignationId,
    Guid EnterpriseId,
    string Uscc,
    string CountyCode,
    string Tier,
    int Round,
    string Authority,
    string? AuthorityCode,
    string DocumentNumber,
    LocalDate RecognizedOn,
    LocalDate ValidFrom,
    LocalDate ValidTo,
    bool Historical,
    string? ImportBatch,
    PrerequisiteOverride? PrerequisiteOverride,
    IReadOnlyList<SkippedRule>? SkippedRules,
    string Actor,
    Instant RecognizedAt) : IDesignationEvent;

/// <summary>
/// 复审/复核. <see cref="NewValidTo"/> is set exactly when the renewal passed. <see cref="CountyCode"/> is the county the
/// enterprise was in on <see cref="DecidedOn"/>, which a renewal award follows (null on events recorded before renewals
/// carried it: then the designation's county).
/// </summary>
[EventType("renewal-reviewed")]
public sealed record RenewalReviewed(
    Guid DesignationId,
    RenewalOutcome Outcome,
    LocalDate DecidedOn,
    LocalDate? NewValidTo,
    string? CountyCode,
    string Reviewer,
    string? Note,
    string Actor,
    Instant ReviewedAt) : IDesignationEvent;

/// <summary>撤销. <see cref="ClawbackDemanded"/> tells the award side to demand back what was paid (追回).</summary>
/// <summary>
/// An imported passed renewal (复审) whose base designation the ledger does not hold: it starts its designation stream,
/// recognised from <see cref="DecidedOn"/> to <see cref="ValidTo"/>, and records the rule the import skipped
/// (<c>renewal-without-base</c>) with its batch and who accepted it. <see cref="CountyCode"/> is the enterprise's
/// county on the decision date.
/// </summary>
[EventType("renewal-imported-without-base")]
public sealed record RenewalImportedWithoutBase(
    Guid DesignationId,
    Guid EnterpriseId,
    string Uscc,
    string CountyCode,
    string Tier,
    int Round,
    LocalDate DecidedOn,
    LocalDate ValidTo,
    string Reviewer,
    string ImportBatch,
    IReadOnlyList<SkippedRule> SkippedRules,
    string Actor,
    Instant ImportedAt) : IDesignationEvent;

[EventType("designation-revoked")]
public sealed record DesignationRevoked(
    Guid DesignationId,
    string Reason,
    LocalDate RevokedOn,
    bool ClawbackDemanded,
    string Actor,
    Instant RevokedAt) : IDesignationEvent;

/// <summary>The validity ran out. <see cref="ExpiredOn"/> is the first day no longer valid (valid-to + 1 day).</summary>
[EventType("designation-expired")]
public sealed record DesignationExpired(
    Guid DesignationId,
    LocalDate ExpiredOn,
    string Actor,
    Instant ExpiredAt) : IDesignationEvent;

/// <summary>Who accepted a recognition although a prerequisite designation was missing, and why.</summary>
public sealed record PrerequisiteOverride(string By, string Reason);

[JsonConverter(typeof(JsonStringEnumConverter<ReviewLevel>))]
public enum ReviewLevel
{
    [JsonStringEnumMemberName("county")] County,
    [JsonStringEnumMemberName("city")] City,
    [JsonStringEnumMemberName("province")] Province,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReviewOutcome>))]
public enum ReviewOutcome
{
    [JsonStringEnumMemberName("recommended")] Recommended,
    [JsonStringEnumMemberName("rejected")] Rejected,
}

[JsonConverter(typeof(JsonStringEnumConverter<RenewalOutcome>))]
public enum RenewalOutcome
{
    [JsonStringEnumMemberName("passed")] Passed,
    [JsonStringEnumMemberName("failed")] Failed,
}
