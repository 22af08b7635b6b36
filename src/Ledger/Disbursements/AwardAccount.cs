using System.Collections.Immutable;
using Ledger.Awards;
using Ledger.Clawbacks;
using Ledger.Policies;

namespace Ledger.Disbursements;

/// <summary>
/// The WHOLE award stream folded: the award itself (folded by <see cref="AwardDecider.Evolve"/>), its disbursements and
/// its clawbacks. <see cref="StreamVersion"/> counts every event of the stream and is the expected version for the next
/// append; <c>Award.StreamVersion</c> counts only the award's own events.
/// </summary>
public sealed record AwardAccount(
    AwardState Award,
    ImmutableDictionary<Guid, Disbursement> Disbursements,
    ImmutableDictionary<Guid, Clawback> Clawbacks,
    int StreamVersion)
{
    public static readonly AwardAccount Initial = new(
        AwardState.Initial, ImmutableDictionary<Guid, Disbursement>.Empty, ImmutableDictionary<Guid, Clawback>.Empty, 0);

    public Disbursement? Find(Guid disbursementId) => Disbursements.GetValueOrDefault(disbursementId);

    /// <summary>Disbursements in the order they were requested.</summary>
    public IEnumerable<Disbursement> InOrder => Disbursements.Values.OrderBy(d => d.Number);

    /// <summary>The award's share for one funding level (zero for a level the award is not funded from).</summary>
    public Money Share(FundingLevel level) =>
        Award.Funding.Where(f => f.Level == level).Aggregate(Money.Zero, (sum, f) => sum + f.Amount);

    /// <summary>Requested, approved or paid (not returned) from one level: what the share still has to cover.</summary>
    public Money Committed(FundingLevel level) => Sum(d => d.Level == level && d.IsCommitted);

    /// <summary>What a new request may still take from one level.</summary>
    public Money Uncommitted(FundingLevel level) => Share(level) - Committed(level);

    /// <summary>Paid from one level and not returned by the bank.</summary>
    public Money PaidNet(FundingLevel level) => Sum(d => d.Level == level && d.Status == DisbursementStatus.Paid);

    /// <summary>Paid on the whole award and not returned: the <c>paid</c> that <see cref="AwardDecider"/> asks for.</summary>
    public Money PaidNetTotal => Sum(d => d.Status == DisbursementStatus.Paid);

    public Money ClawbackDemanded(FundingLevel level) =>
        Clawbacks.Values.Where(c => c.Level == level).Aggregate(Money.Zero, (sum, c) => sum + c.Amount);

    public Money ClawbackRepaid(FundingLevel level) =>
        Clawbacks.Values.Where(c => c.Level == level).Aggregate(Money.Zero, (sum, c) => sum + c.Repaid);

    public Money ClawbackOutstanding(FundingLevel level) => ClawbackDemanded(level) - ClawbackRepaid(level);

    /// <summary>What a new clawback may still demand from one level: paid net of returns and of earlier clawbacks.</summary>
    public Money Reclaimable(FundingLevel level) => PaidNet(level) - ClawbackDemanded(level);

    public static AwardAccount Fold(AwardAccount state, object @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(@event);
        if (@event is IAwardAccountEvent { AwardId: var awardId } && awardId != state.Award.Id)
        {
            throw new ArgumentException($"Event {@event.GetType().Name} of award {awardId} folded into the account of award {state.Award.Id}.", nameof(@event));
        }
        var next = @event switch
        {
            IAwardEvent e => state with { Award = AwardDecider.Evolve(state.Award, e) },
            DisbursementRequested e => state with
            {
                Disbursements = state.Disbursements.Add(e.DisbursementId, new Disbursement(
                    e.DisbursementId, state.Disbursements.Count + 1, e.Amount, e.Level, e.DivisionCode, e.PlannedYear, e.EnterpriseId,
                    e.PayeeAccount, e.Requester, e.RequestedAt, DisbursementStatus.Requested, [], null, null, null, null)),
            },
            DisbursementApproved e => Update(state, e.DisbursementId, d => d with
            {
                Approvals = [.. d.Approvals, new DisbursementApproval(e.Approver, e.Historical, e.ImportBatch, e.ApprovedAt)],
                Status = e.Final ? DisbursementStatus.Approved : d.Status,
            }),
            DisbursementRejected e => Update(state, e.DisbursementId, d => d with { Status = DisbursementStatus.Rejected, EndReason = e.Reason }),
            DisbursementCancelled e => Update(state, e.DisbursementId, d => d with { Status = DisbursementStatus.Cancelled, EndReason = e.Reason }),
            DisbursementPaid e => Update(state, e.DisbursementId, d => d with
            {
                Status = DisbursementStatus.Paid,
                VoucherNumber = e.VoucherNumber,
                ValueDate = e.ValueDate,
            }),
            DisbursementReturned e => Update(state, e.DisbursementId, d => d with
            {
                Status = DisbursementStatus.Returned,
                ReturnedOn = e.ReturnedOn,
                EndReason = e.Reason,
            }),
            ClawbackDemanded e => state with
            {
                Clawbacks = state.Clawbacks.Add(e.ClawbackId, new Clawback(
                    e.ClawbackId, e.Level, e.DivisionCode, e.Amount, Money.Zero, e.Reason, e.DemandedAt, [])),
            },
            ClawbackRepaid e => UpdateClawback(state, e.ClawbackId, c => c with
            {
                Repaid = c.Repaid + e.Amount,
                Repayments = [.. c.Repayments, new ClawbackRepayment(e.Amount, e.ValueDate, e.VoucherNumber)],
            }),
            _ => throw new ArgumentException($"Not an event of an award stream: {@event.GetType().Name}", nameof(@event)),
        };
        return next with { StreamVersion = state.StreamVersion + 1 };
    }

    private Money Sum(Func<Disbursement, bool> which) =>
        Disbursements.Values.Where(which).Aggregate(Money.Zero, (sum, d) => sum + d.Amount);

    private static AwardAccount Update(AwardAccount state, Guid disbursementId, Func<Disbursement, Disbursement> change) =>
        state with { Disbursements = state.Disbursements.SetItem(disbursementId, change(Known(state.Disbursements, disbursementId, "disbursement"))) };

    private static AwardAccount UpdateClawback(AwardAccount state, Guid clawbackId, Func<Clawback, Clawback> change) =>
        state with { Clawbacks = state.Clawbacks.SetItem(clawbackId, change(Known(state.Clawbacks, clawbackId, "clawback"))) };

    private static T Known<T>(ImmutableDictionary<Guid, T> items, Guid id, string what) =>
        items.TryGetValue(id, out var item)
            ? item
            : throw new InvalidOperationException($"The award stream refers to {what} {id} before it was started.");
}
