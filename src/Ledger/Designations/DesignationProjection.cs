using Ledger.Awards;
using Ledger.EventStore;
using Ledger.Policies;
using Npgsql;

namespace Ledger.Designations;

/// <summary>Keeps <c>designations</c> (status and validity per stream) and <c>award_triggers</c> (recognitions and passed renewals).</summary>
public sealed class DesignationProjection : IInlineProjection
{
    public bool Handles(string eventType) => eventType is
        "declaration-submitted" or "declaration-reviewed" or "designation-recognized" or
        "renewal-reviewed" or "designation-revoked" or "designation-expired";

    public async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        foreach (var stored in events)
        {
            switch (stored.Data)
            {
                case DeclarationSubmitted e:
                    await Sql.ExecuteAsync(connection,
                        "INSERT INTO designations (designation_id, enterprise_id, tier, round, county_code, status, last_seq) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        cancellationToken, e.DesignationId, e.EnterpriseId, e.Tier, e.Round, e.CountyCode, StoredName.Of(DesignationStatus.Declared), stored.Seq);
                    break;
                case DeclarationReviewed e:
                    await SetStatusAsync(connection, e.DesignationId,
                        e.Outcome == ReviewOutcome.Rejected ? DesignationStatus.Rejected : DesignationStatus.Recommended, stored.Seq, cancellationToken);
                    break;
                case DesignationRecognized e:
                    await Sql.ExecuteAsync(connection,
                        "INSERT INTO designations (designation_id, enterprise_id, tier, round, county_code, status, recognized_on, valid_to, last_seq) " +
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (designation_id) DO UPDATE SET " +
                        "status = excluded.status, recognized_on = excluded.recognized_on, valid_to = excluded.valid_to, last_seq = excluded.last_seq",
                        cancellationToken, e.DesignationId, e.EnterpriseId, e.Tier, e.Round, e.CountyCode, StoredName.Of(DesignationStatus.Recognized),
                        Sql.Date(e.RecognizedOn), Sql.Date(e.ValidTo), stored.Seq);
                    await AddTriggerAsync(connection, AwardTriggerFact.Recognition(e), cancellationToken);
                    break;
                case RenewalReviewed { Outcome: RenewalOutcome.Passed } e:
                    await Sql.ExecuteAsync(connection,
                        "UPDATE designations SET status = $2, valid_to = $3, last_seq = $4 WHERE designation_id = $1",
                        cancellationToken, e.DesignationId, StoredName.Of(DesignationStatus.Recognized), Sql.DateOrNull(e.NewValidTo), stored.Seq);
                    await Sql.ExecuteAsync(connection,
                        "INSERT INTO award_triggers (designation_id, trigger, trigger_date, enterprise_id, county_code, tier) " +
                        "SELECT designation_id, $2, $3, enterprise_id, county_code, tier FROM designations WHERE designation_id = $1",
                        cancellationToken, e.DesignationId, StoredName.Of(AwardTrigger.Renewal), Sql.Date(e.DecidedOn));
                    break;
                case RenewalReviewed e:
                    await SetStatusAsync(connection, e.DesignationId, DesignationStatus.RenewalFailed, stored.Seq, cancellationToken);
                    break;
                case DesignationRevoked e:
                    await SetStatusAsync(connection, e.DesignationId, DesignationStatus.Revoked, stored.Seq, cancellationToken);
                    break;
                case DesignationExpired e:
                    await SetStatusAsync(connection, e.DesignationId, DesignationStatus.Expired, stored.Seq, cancellationToken);
                    break;
            }
        }
    }

    private static Task SetStatusAsync(NpgsqlConnection connection, Guid designationId, DesignationStatus status, long seq, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, "UPDATE designations SET status = $2, last_seq = $3 WHERE designation_id = $1",
            cancellationToken, designationId, StoredName.Of(status), seq);

    private static Task AddTriggerAsync(NpgsqlConnection connection, AwardTriggerFact fact, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection,
            "INSERT INTO award_triggers (designation_id, trigger, trigger_date, enterprise_id, county_code, tier) VALUES ($1, $2, $3, $4, $5, $6)",
            cancellationToken, fact.DesignationId, StoredName.Of(fact.Trigger), Sql.Date(fact.Date), fact.EnterpriseId, fact.CountyCode, fact.Tier);
}
