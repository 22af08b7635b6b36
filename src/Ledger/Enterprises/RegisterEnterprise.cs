using NodaTime;

namespace Ledger.Enterprises;

/// <summary>Registers an enterprise under its USCC; the stream id is derived from the USCC (<see cref="Enterprise.StreamIdFor"/>).</summary>
public sealed record RegisterEnterprise(
    string Uscc,
    string Name,
    string CountyCode,
    string Industry,
    BankAccount? BankAccount,
    string RegisteredBy,
    Instant RegisteredAt) : ILedgerCommand<Guid>
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { RegisteredBy = actor, RegisteredAt = at };
}
