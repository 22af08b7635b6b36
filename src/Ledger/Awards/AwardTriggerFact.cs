using Ledger.Designations;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Awards;

/// <summary>
/// A recognition or passed renewal that may earn awards. <see cref="CountyCode"/> is the county the fact itself
/// records: the county the enterprise was in on the fact's date, decided when it was recorded (docs/rules.md). A later
/// correction or a move recorded later does not change it, so the immediate determination and every catch-up agree.
/// </summary>
public sealed record AwardTriggerFact(
    Guid DesignationId,
    Guid EnterpriseId,
    string CountyCode,
    string Tier,
    AwardTrigger Trigger,
    LocalDate Date)
{
    public static AwardTriggerFact Recognition(DesignationRecognized recognized) => new(
        recognized.DesignationId, recognized.EnterpriseId, recognized.CountyCode, recognized.Tier,
        AwardTrigger.Recognition, recognized.RecognizedOn);

    public static AwardTriggerFact Renewal(RenewalImportedWithoutBase renewal) => new(
        renewal.DesignationId, renewal.EnterpriseId, renewal.CountyCode, renewal.Tier, AwardTrigger.Renewal, renewal.DecidedOn);

    /// <param name="designation">The designation the renewal belongs to.</param>
    /// <param name="renewal">A passed renewal review; its county (the enterprise's on the decision date) is the fact's.</param>
    public static AwardTriggerFact Renewal(DesignationState designation, RenewalReviewed renewal)
    {
        if (renewal.Outcome != RenewalOutcome.Passed)
        {
            throw new ArgumentException("Only a passed renewal earns an award.", nameof(renewal));
        }
        // Reviews recorded before they carried a county went by the designation's.
        return new(designation.Id, designation.EnterpriseId, renewal.CountyCode ?? designation.CountyCode, designation.Tier, AwardTrigger.Renewal, renewal.DecidedOn);
    }
}
