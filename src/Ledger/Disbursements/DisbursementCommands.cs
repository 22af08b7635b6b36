using Ledger.Imports;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Disbursements;

// Amounts are decimals so that the decider, not the caller, refuses more than two places.

/// <summary>
/// Asks to pay <see cref="Amount"/> of the award's <see cref="Level"/> share. <see cref="PlannedYear"/> null = the year of
/// <see cref="At"/> in China. The payee is the award's enterprise and its registered bank account.
/// </summary>
public sealed record RequestDisbursement(
    Guid AwardId,
    Guid DisbursementId,
    decimal Amount,
    FundingLevel Level,
    int? PlannedYear,
    string Requester,
    Instant At) : ILedgerCommand<Guid>
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Requester = actor, At = at };
}

/// <summary>
/// One approval. With <see cref="Historical"/> set it records an approval signed on paper before the ledger existed:
/// no publicity wait, and the requester may appear among the signatures (the import records what happened, and lists
/// on the event the rules it did not check). <see cref="Approver"/> is then the user who imports it (the edge stamps
/// it), and <see cref="HistoricalApproval.SignedBy"/> the person who signed the paper.
/// </summary>
public sealed record ApproveDisbursement(
    Guid AwardId,
    Guid DisbursementId,
    string Approver,
    Instant At,
    HistoricalApproval? Historical = null) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Approver = actor, At = at };
}

/// <summary>Where a paper approval comes from (its import batch) and who signed it on paper.</summary>
public sealed record HistoricalApproval(string ImportBatch, string SignedBy);

public sealed record RejectDisbursement(Guid AwardId, Guid DisbursementId, string Reason, string Actor, Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

public sealed record CancelDisbursement(Guid AwardId, Guid DisbursementId, string Reason, string Actor, Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>
/// Records the treasury's payment of an approved disbursement. With <see cref="Historical"/> set it imports a payment the
/// treasury made before the ledger held it: a value date on a non-working day is then recorded as a warning on the
/// payment instead of refused.
/// </summary>
public sealed record RecordDisbursementPayment(
    Guid AwardId,
    Guid DisbursementId,
    string VoucherNumber,
    LocalDate ValueDate,
    string Actor,
    Instant At,
    HistoricalImport? Historical = null) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>Records that the bank returned a paid disbursement in full on <see cref="ReturnedOn"/>.</summary>
public sealed record RecordDisbursementReturn(
    Guid AwardId,
    Guid DisbursementId,
    LocalDate ReturnedOn,
    string Reason,
    string Actor,
    Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}
