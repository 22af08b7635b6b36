using Ledger.Designations;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Awards;

/// <summary>
/// A recognition or passed renewal that may earn awards. <see cref="CountyCode"/> is the enterprise's county as of
/// the fact (docs/decisions.md): a later correction of the enterprise does not move it.
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

    /// <param name="designation">The designation the renewal belongs to.</param>
    /// <param name="renewal">A passed renewal review.</param>
    /// <param name="countyCode">The enterprise's county on the renewal date.</param>
    public static AwardTriggerFact Renewal(DesignationState designation, RenewalReviewed renewal, string countyCode)
    {
        if (renewal.Outcome != RenewalOutcome.Passed)
        {
            throw new ArgumentException("Only a passed renewal earns an award.", nameof(renewal));
        }
        return new(designation.Id, designation.EnterpriseId, countyCode, designation.Tier, AwardTrigger.Renewal, renewal.DecidedOn);
    }
}
