using Ledger.EventStore;
using NodaTime;

namespace Ledger.Enterprises;

[EventType("enterprise-registered")]
public sealed record EnterpriseRegistered(
    Guid EnterpriseId,
    string Uscc,
    string Name,
    string CountyCode,
    string Industry,
    BankAccount? BankAccount,
    string RegisteredBy,
    Instant RegisteredAt);

/// <summary>Corrects registration data that was wrong or has changed; each changed field is listed with its old and new value.</summary>
[EventType("enterprise-details-corrected")]
public sealed record EnterpriseDetailsCorrected(
    Guid EnterpriseId,
    IReadOnlyList<FieldCorrection> Corrections,
    string Reason,
    string CorrectedBy,
    Instant CorrectedAt);

/// <summary>
/// The enterprise moved to another county, as the business registry (市场监管 变更登记) records it: facts dated on or after
/// <see cref="EffectiveOn"/> belong to <see cref="ToCountyCode"/>, earlier ones stay with <see cref="FromCountyCode"/>.
/// Unlike <see cref="EnterpriseDetailsCorrected"/> (the record was wrong) the enterprise really was elsewhere before.
/// <see cref="FactsKept"/> are facts dated on or after the move that the ledger had already recorded in the old county
/// before the move was known; they stay there (nothing recorded moves), and <see cref="Override"/> says who accepted that.
/// </summary>
[EventType("enterprise-relocated")]
public sealed record EnterpriseRelocated(
    Guid EnterpriseId,
    string FromCountyCode,
    string ToCountyCode,
    LocalDate EffectiveOn,
    string RegistryReference,
    IReadOnlyList<RecordedFact> FactsKept,
    RelocationOverride? Override,
    string RelocatedBy,
    Instant RelocatedAt);

/// <summary>A fact of the enterprise already in the ledger: what it is (<c>declaration</c>, <c>recognition</c>, <c>renewal</c>, <c>payment</c>), its stream, its date and the county it was recorded in.</summary>
public sealed record RecordedFact(string Kind, Guid StreamId, LocalDate Date, string CountyCode);

/// <summary>Who accepted that facts recorded before a move was known stay with the county they were recorded in, and why.</summary>
public sealed record RelocationOverride(string By, string Reason);

/// <param name="Field">One of <see cref="EnterpriseField"/>.</param>
/// <param name="OldValue">The value before; for the bank account, <see cref="BankAccount.ToCorrectionValue"/> or null when there was none.</param>
public sealed record FieldCorrection(string Field, string? OldValue, string? NewValue);

/// <summary>The names a <see cref="FieldCorrection"/> uses; stored in events, so never renamed.</summary>
public static class EnterpriseField
{
    public const string Name = "name";
    public const string County = "county";
    public const string Industry = "industry";
    public const string BankAccount = "bank-account";
}
