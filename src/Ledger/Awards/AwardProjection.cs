using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Awards;

/// <summary>Keeps <c>awards</c>: every award with its current amount and status, by policy, designation and enterprise.</summary>
public sealed partial class AwardProjection : EventProjection
{
    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent stored, CancellationToken cancellation)
    {
        switch (stored.Data)
        {
            case AwardDetermined e:
                Sql.Queue(operations,
                    "INSERT INTO awards (award_id, enterprise_id, designation_id, policy_id, policy_version, county_code, tier, trigger, " +
                    "trigger_date, determination_date, amount, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    e.AwardId, e.EnterpriseId, e.DesignationId, e.PolicyId, e.PolicyVersion, e.CountyCode, e.Rule.Tier,
                    StoredName.Of(e.Rule.Trigger), Sql.Date(e.TriggerDate), Sql.Date(e.DeterminationDate), e.Amount.Yuan,
                    StoredName.Of(AwardStatus.Determined));
                break;
            case AwardRedetermined e:
                Sql.Queue(operations, "UPDATE awards SET amount = $2 WHERE award_id = $1", e.AwardId, e.NewAmount.Yuan);
                break;
            case AwardCancelled e:
                Sql.Queue(operations, "UPDATE awards SET status = $2 WHERE award_id = $1", e.AwardId, StoredName.Of(AwardStatus.Cancelled));
                break;
        }
        return ValueTask.CompletedTask;
    }
}
