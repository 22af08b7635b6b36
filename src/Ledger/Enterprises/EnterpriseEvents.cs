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
