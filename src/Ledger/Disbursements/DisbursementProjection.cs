using Ledger.Budgets;
using Ledger.EventStore;
using Npgsql;

namespace Ledger.Disbursements;

/// <summary>Keeps <c>disbursements</c> (status per request) and <c>vouchers</c> (one row per treasury voucher: the database refuses a second use).</summary>
public sealed class DisbursementProjection : IInlineProjection
{
    public bool Handles(string eventType) => eventType.StartsWith("disbursement-", StringComparison.Ordinal);

    public async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        foreach (var stored in events)
        {
            switch (stored.Data)
            {
                case DisbursementRequested e:
                    await Sql.ExecuteAsync(connection,
                        "INSERT INTO disbursements (disbursement_id, award_id, enterprise_id, county_code, level, division_code, planned_year, amount, status, last_seq) " +
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9)",
                        cancellationToken, e.DisbursementId, e.AwardId, e.EnterpriseId, stored.CountyCode, BudgetLineKey.LevelName(e.Level),
                        e.DivisionCode, e.PlannedYear, e.Amount.Yuan, stored.Seq);
                    break;
                case DisbursementApproved e:
                    await Sql.ExecuteAsync(connection,
                        "UPDATE disbursements SET approvals = approvals + 1, status = CASE WHEN $2 THEN 'approved' ELSE status END, last_seq = $3 WHERE disbursement_id = $1",
                        cancellationToken, e.DisbursementId, e.Final, stored.Seq);
                    break;
                case DisbursementRejected e:
                    await SetStatusAsync(connection, e.DisbursementId, "rejected", stored.Seq, cancellationToken);
                    break;
                case DisbursementCancelled e:
                    await SetStatusAsync(connection, e.DisbursementId, "cancelled", stored.Seq, cancellationToken);
                    break;
                case DisbursementPaid e:
                    await Sql.ExecuteAsync(connection,
                        "INSERT INTO vouchers (voucher_number, award_id, disbursement_id, last_seq) VALUES ($1, $2, $3, $4)",
                        cancellationToken, e.VoucherNumber, e.AwardId, e.DisbursementId, stored.Seq);
                    await Sql.ExecuteAsync(connection,
                        "UPDATE disbursements SET status = 'paid', voucher_number = $2, value_date = $3, last_seq = $4 WHERE disbursement_id = $1",
                        cancellationToken, e.DisbursementId, e.VoucherNumber, Sql.Date(e.ValueDate), stored.Seq);
                    break;
                case DisbursementReturned e:
                    await SetStatusAsync(connection, e.DisbursementId, "returned", stored.Seq, cancellationToken);
                    break;
            }
        }
    }

    private static Task SetStatusAsync(NpgsqlConnection connection, Guid disbursementId, string status, long seq, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, "UPDATE disbursements SET status = $2, last_seq = $3 WHERE disbursement_id = $1", cancellationToken, disbursementId, status, seq);
}
