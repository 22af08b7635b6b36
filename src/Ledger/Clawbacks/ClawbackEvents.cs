using Ledger.Disbursements;
using Ledger.EventStore;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Clawbacks;

/// <summary>A clawback (追回) of money paid on an award; appended to the award's stream.</summary>
public interface IClawbackEvent : IAwardAccountEvent
{
    Guid ClawbackId { get; }
}

/// <summary>
/// The enterprise must pay back <see cref="Amount"/> of what it received from the <see cref="Level"/> share, which was
/// charged to <see cref="DivisionCode"/>; repayments go back to that division's line at that level.
/// </summary>
[EventType("clawback-demanded")]
public sealed record ClawbackDemanded(
    Guid AwardId,
    Guid ClawbackId,
    FundingLevel Level,
    string DivisionCode,
    Money Amount,
    string Reason,
    string Actor,
    Instant DemandedAt) : IClawbackEvent;

/// <summary>A (partial) repayment received by the treasury on <see cref="ValueDate"/> under <see cref="VoucherNumber"/>.</summary>
[EventType("clawback-repaid")]
public sealed record ClawbackRepaid(
    Guid AwardId,
    Guid ClawbackId,
    Money Amount,
    LocalDate ValueDate,
    string VoucherNumber,
    string Actor,
    Instant RepaidAt) : IClawbackEvent;
