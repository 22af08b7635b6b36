using System.Text.Json.Serialization;
using Ledger.Budgets;
using Ledger.Enterprises;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Disbursements;

[JsonConverter(typeof(JsonStringEnumConverter<DisbursementStatus>))]
public enum DisbursementStatus
{
    /// <summary>Waiting for (more) approvals; nothing reserved yet.</summary>
    [JsonStringEnumMemberName("requested")] Requested,
    /// <summary>Every approval given; the amount is reserved on the budget line.</summary>
    [JsonStringEnumMemberName("approved")] Approved,
    [JsonStringEnumMemberName("paid")] Paid,
    [JsonStringEnumMemberName("returned")] Returned,
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>One approver's signature on a disbursement.</summary>
public sealed record DisbursementApproval(string Approver, bool Historical, string? ImportBatch, Instant ApprovedAt);

/// <summary>One disbursement of an award as the award's stream says it is now. <see cref="Number"/>: 1 for the first tranche requested, 2 for the next…</summary>
public sealed record Disbursement(
    Guid Id,
    int Number,
    Money Amount,
    FundingLevel Level,
    string DivisionCode,
    int PlannedYear,
    Guid EnterpriseId,
    BankAccount PayeeAccount,
    string Requester,
    Instant RequestedAt,
    DisbursementStatus Status,
    IReadOnlyList<DisbursementApproval> Approvals,
    string? VoucherNumber,
    LocalDate? ValueDate,
    LocalDate? ReturnedOn,
    string? EndReason)
{
    /// <summary>Approver names compare without regard to case or surrounding spaces: "Wang" and "wang " are one person.</summary>
    public static StringComparer ApproverComparer { get; } = StringComparer.OrdinalIgnoreCase;

    /// <summary>The line the final approval reserves on and the payment is charged to.</summary>
    public BudgetLineKey ReservationLine => new(DivisionCode, PlannedYear, Level);

    /// <summary>Distinct approvers: the same approver recorded twice (e.g. by two imports) counts once.</summary>
    public IReadOnlyList<string> DistinctApprovers => [.. Approvals.Select(a => a.Approver).Distinct(ApproverComparer)];

    public bool HasApproved(string approver) => Approvals.Any(a => ApproverComparer.Equals(a.Approver, approver));

    /// <summary>Requested or approved, not yet paid: it can still be rejected or cancelled.</summary>
    public bool IsOpen => Status is DisbursementStatus.Requested or DisbursementStatus.Approved;

    /// <summary>Counts against the award's share: everything but rejected, cancelled and returned.</summary>
    public bool IsCommitted => Status is DisbursementStatus.Requested or DisbursementStatus.Approved or DisbursementStatus.Paid;
}
