using Ledger.Awards;
using Ledger.Policies;
using Ledger.ReadModels;

namespace Ledger.Designations;

/// <summary>Keeps <c>designations</c> (status and validity per stream) and <c>award_triggers</c> (recognitions and passed renewals).</summary>
public sealed class DesignationProjection : IReadProjection
{
    private static readonly ReadTable Designations = ReadTables.Designations;

    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.Designations, ReadTables.AwardTriggers];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case DeclarationSubmitted e:
                writer.Insert(Designations, e.DesignationId, e.EnterpriseId, e.Tier, e.Round, e.CountyCode,
                    StoredName.Of(DesignationStatus.Declared), null, null);
                break;
            case DeclarationReviewed e:
                SetStatus(writer, e.DesignationId, e.Outcome == ReviewOutcome.Rejected ? DesignationStatus.Rejected : DesignationStatus.Recommended);
                break;
            case DesignationRecognized e:
                writer.Upsert(Designations,
                    [e.DesignationId, e.EnterpriseId, e.Tier, e.Round, e.CountyCode, StoredName.Of(DesignationStatus.Recognized),
                        Sql.Date(e.RecognizedOn), Sql.Date(e.ValidTo)],
                    "county_code", "status", "recognized_on", "valid_to");
                AddTrigger(writer, AwardTriggerFact.Recognition(e));
                break;
            case RenewalImportedWithoutBase e:
                writer.Insert(Designations, e.DesignationId, e.EnterpriseId, e.Tier, e.Round, e.CountyCode,
                    StoredName.Of(DesignationStatus.Recognized), null, Sql.Date(e.ValidTo));
                AddTrigger(writer, AwardTriggerFact.Renewal(e));
                break;
            case RenewalReviewed { Outcome: RenewalOutcome.Passed } e:
                writer.Update(Designations, [e.DesignationId],
                    new("status", StoredName.Of(DesignationStatus.Recognized)), new("valid_to", e.NewValidTo is { } to ? Sql.Date(to) : null));
                writer.Insert(ReadTables.AwardTriggers,
                    e.DesignationId, StoredName.Of(AwardTrigger.Renewal), Sql.Date(e.DecidedOn),
                    new Lookup(Designations, e.DesignationId, "enterprise_id"), (object?)e.CountyCode ?? new Lookup(Designations, e.DesignationId, "county_code"),
                    new Lookup(Designations, e.DesignationId, "tier"));
                break;
            case RenewalReviewed e:
                SetStatus(writer, e.DesignationId, DesignationStatus.RenewalFailed);
                break;
            case DesignationRevoked e:
                SetStatus(writer, e.DesignationId, DesignationStatus.Revoked);
                break;
            case DesignationExpired e:
                SetStatus(writer, e.DesignationId, DesignationStatus.Expired);
                break;
        }
    }

    private static void SetStatus(IReadModelWriter writer, Guid designationId, DesignationStatus status) =>
        writer.Update(Designations, [designationId], new Assignment("status", StoredName.Of(status)));

    private static void AddTrigger(IReadModelWriter writer, AwardTriggerFact fact) =>
        writer.Insert(ReadTables.AwardTriggers,
            fact.DesignationId, StoredName.Of(fact.Trigger), Sql.Date(fact.Date), fact.EnterpriseId, fact.CountyCode, fact.Tier);
}
