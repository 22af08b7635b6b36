using JasperFx.Events;
using Ledger.Awards;
using Ledger.Policies;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Designations;

/// <summary>Keeps <c>designations</c> (status and validity per stream) and <c>award_triggers</c> (recognitions and passed renewals).</summary>
public sealed partial class DesignationProjection : EventProjection
{
    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent stored, CancellationToken cancellation)
    {
        switch (stored.Data)
        {
            case DeclarationSubmitted e:
                Sql.Queue(operations,
                    "INSERT INTO designations (designation_id, enterprise_id, tier, round, county_code, status) VALUES ($1, $2, $3, $4, $5, $6)",
                    e.DesignationId, e.EnterpriseId, e.Tier, e.Round, e.CountyCode, StoredName.Of(DesignationStatus.Declared));
                break;
            case DeclarationReviewed e:
                SetStatus(operations, e.DesignationId, e.Outcome == ReviewOutcome.Rejected ? DesignationStatus.Rejected : DesignationStatus.Recommended);
                break;
            case DesignationRecognized e:
                Sql.Queue(operations,
                    "INSERT INTO designations (designation_id, enterprise_id, tier, round, county_code, status, recognized_on, valid_to) " +
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (designation_id) DO UPDATE SET " +
                    "status = excluded.status, recognized_on = excluded.recognized_on, valid_to = excluded.valid_to",
                    e.DesignationId, e.EnterpriseId, e.Tier, e.Round, e.CountyCode, StoredName.Of(DesignationStatus.Recognized),
                    Sql.Date(e.RecognizedOn), Sql.Date(e.ValidTo));
                AddTrigger(operations, AwardTriggerFact.Recognition(e));
                break;
            case RenewalReviewed { Outcome: RenewalOutcome.Passed } e:
                Sql.Queue(operations, "UPDATE designations SET status = $2, valid_to = $3 WHERE designation_id = $1",
                    e.DesignationId, StoredName.Of(DesignationStatus.Recognized), Sql.DateOrNull(e.NewValidTo));
                Sql.Queue(operations,
                    "INSERT INTO award_triggers (designation_id, trigger, trigger_date, enterprise_id, county_code, tier) " +
                    "SELECT designation_id, $2, $3, enterprise_id, county_code, tier FROM designations WHERE designation_id = $1",
                    e.DesignationId, StoredName.Of(AwardTrigger.Renewal), Sql.Date(e.DecidedOn));
                break;
            case RenewalReviewed e:
                SetStatus(operations, e.DesignationId, DesignationStatus.RenewalFailed);
                break;
            case DesignationRevoked e:
                SetStatus(operations, e.DesignationId, DesignationStatus.Revoked);
                break;
            case DesignationExpired e:
                SetStatus(operations, e.DesignationId, DesignationStatus.Expired);
                break;
        }
        return ValueTask.CompletedTask;
    }

    private static void SetStatus(IDocumentOperations operations, Guid designationId, DesignationStatus status) =>
        Sql.Queue(operations, "UPDATE designations SET status = $2 WHERE designation_id = $1", designationId, StoredName.Of(status));

    private static void AddTrigger(IDocumentOperations operations, AwardTriggerFact fact) =>
        Sql.Queue(operations,
            "INSERT INTO award_triggers (designation_id, trigger, trigger_date, enterprise_id, county_code, tier) VALUES ($1, $2, $3, $4, $5, $6)",
            fact.DesignationId, StoredName.Of(fact.Trigger), Sql.Date(fact.Date), fact.EnterpriseId, fact.CountyCode, fact.Tier);
}
