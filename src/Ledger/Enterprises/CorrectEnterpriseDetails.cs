using NodaTime;

namespace Ledger.Enterprises;

/// <summary>Corrects an enterprise's details. A null field is left as it is; at least one given field must change.</summary>
public sealed record CorrectEnterpriseDetails(
    Guid EnterpriseId,
    string? Name,
    string? CountyCode,
    string? Industry,
    BankAccount? BankAccount,
    string Reason,
    string CorrectedBy,
    Instant CorrectedAt) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { CorrectedBy = actor, CorrectedAt = at };
}
