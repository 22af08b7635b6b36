using System.Text.Json.Serialization;
using NodaTime;

namespace Ledger.Designations;

[JsonConverter(typeof(JsonStringEnumConverter<DesignationStatus>))]
public enum DesignationStatus
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("declared")] Declared,
    [JsonStringEnumMemberName("recommended")] Recommended,
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("recognized")] Recognized,
    [JsonStringEnumMemberName("expired")] Expired,
    [JsonStringEnumMemberName("renewal-failed")] RenewalFailed,
    [JsonStringEnumMemberName("revoked")] Revoked,
}

/// <summary>A span of days (both ends inclusive) in which the designation was valid.</summary>
public sealed record ValidityPeriod(LocalDate From, LocalDate To)
{
    public bool Contains(LocalDate date) => From <= date && date <= To;
}

/// <summary>
/// One designation stream folded. <see cref="Validity"/> holds more than one period when a renewal passed
/// after a gap (the designation had lapsed and was reinstated from the renewal decision).
/// <see cref="StreamVersion"/> counts the events folded: the expected stream version for the next append.
/// </summary>
public sealed record DesignationState(
    Guid Id,
    Guid EnterpriseId,
    string Uscc,
    string CountyCode,
    string Tier,
    int Round,
    DesignationStatus Status,
    int StreamVersion,
    LocalDate? DeclaredOn,
    ReviewLevel? LastReviewLevel,
    LocalDate? RecognizedOn,
    IReadOnlyList<ValidityPeriod> Validity,
    LocalDate? EndedOn,
    int Renewals)
{
    public static readonly DesignationState Initial = new(
        Guid.Empty, Guid.Empty, "", "", "", 0, DesignationStatus.None, 0, null, null, null, [], null, 0);

    public LocalDate? ValidFrom => Validity.Count == 0 ? null : Validity[0].From;

    public LocalDate? ValidTo => Validity.Count == 0 ? null : Validity[^1].To;

    /// <summary>Held on <paramref name="date"/>: inside a validity period and before any revocation or failed renewal.</summary>
    public bool IsValidOn(LocalDate date) =>
        Validity.Any(p => p.Contains(date)) && (EndedOn is null || date < EndedOn);

    /// <summary>
    /// A round is open while it can still become or stay a valid designation without a new declaration:
    /// declared, recommended, or recognized and not past its valid-to on <paramref name="date"/>.
    /// </summary>
    public bool IsOpenOn(LocalDate date) => Status switch
    {
        DesignationStatus.Declared or DesignationStatus.Recommended => true,
        DesignationStatus.Recognized => ValidTo >= date,
        _ => false,
    };
}
