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
    Instant DemandedAt,
    LocalDate? DemandedOn = null) : IClawbackEvent
{
    /// <summary>The business date of the demand: the day it was made, if it was made before it was recorded (an import), else the day recorded (in China).</summary>
    public LocalDate EffectiveOn => DemandedOn ?? ChinaTime.DateOf(DemandedAt);
}

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
