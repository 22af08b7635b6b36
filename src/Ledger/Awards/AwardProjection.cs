using Ledger.ReadModels;

namespace Ledger.Awards;

/// <summary>Keeps <c>awards</c>: every award with its current amount and status, by policy, designation and enterprise.</summary>
public sealed class AwardProjection : IReadProjection
{
    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.Awards];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case AwardDetermined e:
                writer.Insert(ReadTables.Awards,
                    e.AwardId, e.EnterpriseId, e.DesignationId, e.PolicyId, e.PolicyVersion, e.CountyCode, e.Rule.Tier,
                    StoredName.Of(e.Rule.Trigger), Sql.Date(e.TriggerDate), Sql.Date(e.DeterminationDate), e.Amount.Yuan,
                    StoredName.Of(AwardStatus.Determined), new Lookup(ReadTables.Policies, e.PolicyId, "issuer_code"));
                break;
            case AwardRedetermined e:
                writer.Update(ReadTables.Awards, [e.AwardId], new Assignment("amount", e.NewAmount.Yuan));
                break;
            case AwardCancelled e:
                writer.Update(ReadTables.Awards, [e.AwardId], new Assignment("status", StoredName.Of(AwardStatus.Cancelled)));
                break;
        }
    }
}
