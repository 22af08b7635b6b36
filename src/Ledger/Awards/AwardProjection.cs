using Ledger.EventStore;
using Npgsql;

namespace Ledger.Awards;

/// <summary>Keeps <c>awards</c>: every award with its current amount and status, by policy, designation and enterprise.</summary>
public sealed class AwardProjection : IInlineProjection
{
    public bool Handles(string eventType) => eventType is "award-determined" or "award-redetermined" or "award-cancelled";

    public async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        foreach (var stored in events)
        {
            switch (stored.Data)
            {
                case AwardDetermined e:
                    await Sql.ExecuteAsync(connection,
                        "INSERT INTO awards (award_id, enterprise_id, designation_id, policy_id, policy_version, county_code, tier, trigger, " +
                        "trigger_date, determination_date, amount, status, last_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                        cancellationToken, e.AwardId, e.EnterpriseId, e.DesignationId, e.PolicyId, e.PolicyVersion, e.CountyCode, e.Rule.Tier,
                        StoredName.Of(e.Rule.Trigger), Sql.Date(e.TriggerDate), Sql.Date(e.DeterminationDate), e.Amount.Yuan,
                        StoredName.Of(AwardStatus.Determined), stored.Seq);
                    break;
                case AwardRedetermined e:
                    await Sql.ExecuteAsync(connection, "UPDATE awards SET amount = $2, last_seq = $3 WHERE award_id = $1",
                        cancellationToken, e.AwardId, e.NewAmount.Yuan, stored.Seq);
                    break;
                case AwardCancelled e:
                    await Sql.ExecuteAsync(connection, "UPDATE awards SET status = $2, last_seq = $3 WHERE award_id = $1",
                        cancellationToken, e.AwardId, StoredName.Of(AwardStatus.Cancelled), stored.Seq);
                    break;
            }
        }
    }
}
