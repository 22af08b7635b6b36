using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Imports;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Disbursements;

/// <summary>
/// An event appended to an award's stream (stream id = <see cref="AwardId"/>) besides the award's own events: the award
/// stream is the award's account, and its version is what concurrent requests on one award race on.
/// </summary>
public interface IAwardAccountEvent
{
    Guid AwardId { get; }
}

/// <summary>One disbursement (拨付, one tranche) of an award.</summary>
public interface IDisbursementEvent : IAwardAccountEvent
{
    Guid DisbursementId { get; }
}

/// <summary>
/// A clerk asked to pay <see cref="Amount"/> of the award's <see cref="Level"/> share (charged to <see cref="DivisionCode"/>)
/// in <see cref="PlannedYear"/>, to the enterprise's account as registered at the time of the request.
/// </summary>
[EventType("disbursement-requested")]
public sealed record DisbursementRequested(
    Guid AwardId,
    Guid DisbursementId,
    Money Amount,
    FundingLevel Level,
    string DivisionCode,
    int PlannedYear,
    Guid EnterpriseId,
    BankAccount PayeeAccount,
    string Requester,
    Instant RequestedAt) : IDisbursementEvent;

/// <summary>
/// One approver signed (复核/审批). <see cref="Final"/>: this approval completed the chain of
/// <see cref="ApprovalsRequired"/> distinct approvers and the amount was reserved on the budget line in the same commit.
/// <see cref="Historical"/>: a paper approval recorded by import batch <see cref="ImportBatch"/>, <see cref="Approver"/> who
/// signed the paper and <see cref="Actor"/> who imported it (otherwise the approver); <see cref="SkippedRules"/> lists what
/// the ledger did not check (empty for a live approval, null on events recorded before imports listed them).
/// </summary>
[EventType("disbursement-approved")]
public sealed record DisbursementApproved(
    Guid AwardId,
    Guid DisbursementId,
    string Approver,
    int ApprovalsRequired,
    bool Final,
    bool Historical,
    string? ImportBatch,
    IReadOnlyList<SkippedRule>? SkippedRules,
    string Actor,
    Instant ApprovedAt) : IDisbursementEvent;

/// <summary>Refused by an approver before payment; a reservation it held was released.</summary>
[EventType("disbursement-rejected")]
public sealed record DisbursementRejected(
    Guid AwardId,
    Guid DisbursementId,
    string Reason,
    string Actor,
    Instant RejectedAt) : IDisbursementEvent;

/// <summary>Withdrawn before payment (by a clerk, by the award's cancellation or the designation's revocation); a reservation it held was released.</summary>
[EventType("disbursement-cancelled")]
public sealed record DisbursementCancelled(
    Guid AwardId,
    Guid DisbursementId,
    string Reason,
    string Actor,
    Instant CancelledAt) : IDisbursementEvent;

/// <summary>
/// The treasury paid (国库集中支付): voucher number and value date as on the treasury's record. <see cref="CountyCode"/> is
/// the county the enterprise was in on the value date (null on events recorded before payments carried it); the money
/// is still charged to the award's budget lines. An imported payment names its <see cref="ImportBatch"/>, and
/// <see cref="SkippedRules"/> holds its warnings (a value date on a non-working day).
/// </summary>
[EventType("disbursement-paid")]
public sealed record DisbursementPaid(
    Guid AwardId,
    Guid DisbursementId,
    Money Amount,
    string VoucherNumber,
    LocalDate ValueDate,
    string? CountyCode,
    string? ImportBatch,
    IReadOnlyList<SkippedRule>? SkippedRules,
    string Actor,
    Instant PaidAt) : IDisbursementEvent;

/// <summary>The bank sent a paid disbursement back (退汇, e.g. a closed account): the award can be paid again.</summary>
[EventType("disbursement-returned")]
public sealed record DisbursementReturned(
    Guid AwardId,
    Guid DisbursementId,
    Money Amount,
    LocalDate ReturnedOn,
    string Reason,
    string Actor,
    Instant ReturnedAt) : IDisbursementEvent;
