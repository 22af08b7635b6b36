using JasperFx.Events;
using Ledger.Budgets;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Disbursements;

/// <summary>Keeps <c>disbursements</c> (status per request) and <c>vouchers</c> (one row per treasury voucher: the database refuses a second use).</summary>
public sealed partial class DisbursementProjection : EventProjection
{
    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent stored, CancellationToken cancellation)
    {
        switch (stored.Data)
        {
            case DisbursementRequested e:
                Sql.Queue(operations,
                    "INSERT INTO disbursements (disbursement_id, award_id, enterprise_id, county_code, level, division_code, planned_year, amount, status) " +
                    "SELECT $1, $2, $3, a.county_code, $4, $5, $6, $7, 'requested' FROM awards a WHERE a.award_id = $2",
                    e.DisbursementId, e.AwardId, e.EnterpriseId, BudgetLineKey.LevelName(e.Level), e.DivisionCode, e.PlannedYear, e.Amount.Yuan);
                break;
            case DisbursementApproved e:
                Sql.Queue(operations,
                    "UPDATE disbursements SET approvals = approvals + 1, status = CASE WHEN $2 THEN 'approved' ELSE status END WHERE disbursement_id = $1",
                    e.DisbursementId, e.Final);
                break;
            case DisbursementRejected e:
                SetStatus(operations, e.DisbursementId, "rejected");
                break;
            case DisbursementCancelled e:
                SetStatus(operations, e.DisbursementId, "cancelled");
                break;
            case DisbursementPaid e:
                Sql.Queue(operations, "INSERT INTO vouchers (voucher_number, award_id, disbursement_id) VALUES ($1, $2, $3)",
                    e.VoucherNumber, e.AwardId, e.DisbursementId);
                Sql.Queue(operations, "UPDATE disbursements SET status = 'paid', voucher_number = $2, value_date = $3 WHERE disbursement_id = $1",
                    e.DisbursementId, e.VoucherNumber, Sql.Date(e.ValueDate));
                break;
            case DisbursementReturned e:
                SetStatus(operations, e.DisbursementId, "returned");
                break;
        }
        return ValueTask.CompletedTask;
    }

    private static void SetStatus(IDocumentOperations operations, Guid disbursementId, string status) =>
        Sql.Queue(operations, "UPDATE disbursements SET status = $2 WHERE disbursement_id = $1", disbursementId, status);
}
