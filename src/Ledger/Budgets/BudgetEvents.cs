using System.Text.Json.Serialization;
using Ledger.EventStore;
using NodaTime;

namespace Ledger.Budgets;

/// <summary>
/// An event of a budget line stream. Every event names its line in full (<see cref="Line"/>), so a line that only ever
/// received a return or a clawback repayment (never appropriated) still says which division, year and level it is.
/// </summary>
public interface IBudgetEvent
{
    Guid BudgetLineId { get; }

    BudgetLineKey Line { get; }
}

/// <summary>预算下达: the line's initial appropriation; later changes are adjustments.</summary>
[EventType("budget-appropriated")]
public sealed record BudgetAppropriated(
    Guid BudgetLineId,
    BudgetLineKey Line,
    Money Amount,
    string Actor,
    Instant AppropriatedAt) : IBudgetEvent;

/// <summary>预算调整: <see cref="Delta"/> is positive (raised) or negative (cut).</summary>
[EventType("budget-adjusted")]
public sealed record BudgetAdjusted(
    Guid BudgetLineId,
    BudgetLineKey Line,
    Money Delta,
    string Reason,
    string Actor,
    Instant AdjustedAt) : IBudgetEvent;

/// <summary>The final approval of a disbursement set <see cref="Amount"/> aside on the line of its planned payment year.</summary>
[EventType("budget-reserved")]
public sealed record BudgetReserved(
    Guid BudgetLineId,
    BudgetLineKey Line,
    Guid DisbursementId,
    Guid AwardId,
    Money Amount,
    string Actor,
    Instant ReservedAt) : IBudgetEvent;

/// <summary>A reservation given back because its disbursement was rejected or cancelled (also by a revocation) before payment.</summary>
[EventType("budget-reservation-released")]
public sealed record BudgetReservationReleased(
    Guid BudgetLineId,
    BudgetLineKey Line,
    Guid DisbursementId,
    Guid AwardId,
    Money Amount,
    ReleaseReason Reason,
    string Actor,
    Instant ReleasedAt) : IBudgetEvent;

/// <summary>The reserved amount of a disbursement was paid: it moves from reserved to paid on the same line.</summary>
[EventType("budget-paid")]
public sealed record BudgetPaid(
    Guid BudgetLineId,
    BudgetLineKey Line,
    Guid DisbursementId,
    Guid AwardId,
    Money Amount,
    LocalDate ValueDate,
    string Actor,
    Instant PaidAt) : IBudgetEvent;

/// <summary>The bank returned a paid disbursement; the money comes back on the line of the year of the return.</summary>
[EventType("budget-returned")]
public sealed record BudgetReturned(
    Guid BudgetLineId,
    BudgetLineKey Line,
    Guid DisbursementId,
    Guid AwardId,
    Money Amount,
    LocalDate ReturnedOn,
    string Actor,
    Instant ReturnedAt) : IBudgetEvent;

/// <summary>A clawback repayment (追回) came back on the line of the same division and level in the year of the repayment.</summary>
[EventType("budget-clawback-credited")]
public sealed record BudgetClawbackCredited(
    Guid BudgetLineId,
    BudgetLineKey Line,
    Guid ClawbackId,
    Guid AwardId,
    Money Amount,
    LocalDate ValueDate,
    string Actor,
    Instant CreditedAt) : IBudgetEvent;

[JsonConverter(typeof(JsonStringEnumConverter<ReleaseReason>))]
public enum ReleaseReason
{
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>The designation was revoked (撤销) and every open request of its awards cancelled.</summary>
    [JsonStringEnumMemberName("revoked")] Revoked,
}
