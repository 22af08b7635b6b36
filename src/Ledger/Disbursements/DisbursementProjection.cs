using Ledger.Budgets;
using Ledger.ReadModels;

namespace Ledger.Disbursements;

/// <summary>Keeps <c>disbursements</c> (status per request) and <c>vouchers</c> (one row per treasury voucher: the database refuses a second use).</summary>
public sealed class DisbursementProjection : IReadProjection
{
    private static readonly ReadTable Disbursements = ReadTables.Disbursements;

    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.Disbursements, ReadTables.Vouchers];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case DisbursementRequested e:
                writer.Insert(Disbursements,
                    e.DisbursementId, e.AwardId, e.EnterpriseId, new Lookup(ReadTables.Awards, e.AwardId, "county_code"),
                    BudgetLineKey.LevelName(e.Level), e.DivisionCode, e.PlannedYear, e.Amount.Yuan, "requested", 0, null, null, null);
                break;
            case DisbursementApproved e:
                writer.Increment(Disbursements, [e.DisbursementId], new Delta("approvals", 1));
                if (e.Final)
                {
                    SetStatus(writer, e.DisbursementId, "approved");
                }
                break;
            case DisbursementRejected e:
                SetStatus(writer, e.DisbursementId, "rejected");
                break;
            case DisbursementCancelled e:
                SetStatus(writer, e.DisbursementId, "cancelled");
                break;
            case DisbursementPaid e:
                writer.Insert(ReadTables.Vouchers, e.VoucherNumber, e.AwardId, e.DisbursementId);
                writer.Update(Disbursements, [e.DisbursementId],
                    new("status", "paid"), new("voucher_number", e.VoucherNumber), new("value_date", Sql.Date(e.ValueDate)),
                    new("paid_county_code", (object?)e.CountyCode ?? new Lookup(ReadTables.Awards, e.AwardId, "county_code")));
                break;
            case DisbursementReturned e:
                SetStatus(writer, e.DisbursementId, "returned");
                break;
        }
    }

    private static void SetStatus(IReadModelWriter writer, Guid disbursementId, string status) =>
        writer.Update(Disbursements, [disbursementId], new Assignment("status", status));
}
