using Ledger.Policies;
using NodaTime;

namespace Ledger.Clawbacks;

/// <summary>
/// Demands back part of what was paid from one funding level of an award. Amounts are decimals so that the decider refuses
/// more than two places. <see cref="DemandedOn"/>: when the demand was made, if before it is recorded (an import).
/// </summary>
public sealed record DemandClawback(
    Guid AwardId,
    Guid ClawbackId,
    FundingLevel Level,
    decimal Amount,
    string Reason,
    string Actor,
    Instant At,
    LocalDate? DemandedOn = null) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

public sealed record RecordClawbackRepayment(
    Guid AwardId,
    Guid ClawbackId,
    decimal Amount,
    LocalDate ValueDate,
    string VoucherNumber,
    string Actor,
    Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}
