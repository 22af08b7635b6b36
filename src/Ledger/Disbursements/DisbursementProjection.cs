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
                    BudgetLineKey.LevelName(e.Level), e.DivisionCode, e.PlannedYear, e.Amount.Yuan, StatusAfter(e), 0, null, null, null);
                break;
            case DisbursementApproved e:
                writer.Increment(Disbursements, [e.DisbursementId], new Delta("approvals", 1));
                if (e.Final)
                {
                    SetStatus(writer, e);
                }
                break;
            case DisbursementRejected e:
                SetStatus(writer, e);
                break;
            case DisbursementCancelled e:
                SetStatus(writer, e);
                break;
            case DisbursementPaid e:
                writer.Insert(ReadTables.Vouchers, e.VoucherNumber, e.AwardId, e.DisbursementId);
                writer.Update(Disbursements, [e.DisbursementId],
                    new("status", StatusAfter(e)), new("voucher_number", e.VoucherNumber), new("value_date", Sql.Date(e.ValueDate)),
                    new("paid_county_code", (object?)e.CountyCode ?? new Lookup(ReadTables.Awards, e.AwardId, "county_code")));
                break;
            case DisbursementReturned e:
                SetStatus(writer, e);
                break;
        }
    }

    /// <summary>
    /// The <c>status</c> a disbursement's row holds after one of its events (an approval that does not complete the chain
    /// leaves it requested): what the API answers a command with before the row is written.
    /// </summary>
    public static string StatusAfter(IDisbursementEvent @event) => @event switch
    {
        DisbursementRequested => "requested",
        DisbursementApproved { Final: true } => "approved",
        DisbursementApproved => "requested",
        DisbursementRejected => "rejected",
        DisbursementCancelled => "cancelled",
        DisbursementPaid => "paid",
        DisbursementReturned => "returned",
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "not a disbursement event"),
    };

    private static void SetStatus(IReadModelWriter writer, IDisbursementEvent e) =>
        writer.Update(Disbursements, [e.DisbursementId], new Assignment("status", StatusAfter(e)));
}
