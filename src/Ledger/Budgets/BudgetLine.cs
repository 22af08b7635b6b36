using System.Collections.Immutable;

namespace Ledger.Budgets;

/// <summary>
/// A budget line stream folded. <see cref="Paid"/> only grows: money that comes back is counted in
/// <see cref="Returned"/> and <see cref="Repaid"/> (on the line of the year it came back), so each figure is a plain
/// sum of one kind of event and the line reconciles with the treasury's own columns.
/// </summary>
/// <param name="Reservations">Open reservations by disbursement id.</param>
public sealed record BudgetLine(
    BudgetLineKey Key,
    bool IsAppropriated,
    Money Appropriated,
    Money Adjustments,
    Money Reserved,
    Money Paid,
    Money Returned,
    Money Repaid,
    ImmutableDictionary<Guid, Money> Reservations,
    int StreamVersion)
{
    public static BudgetLine Initial(BudgetLineKey key) => new(
        key, false, Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero, ImmutableDictionary<Guid, Money>.Empty, 0);

    public Guid StreamId => BudgetLineKey.StreamId(Key);

    /// <summary>What a new reservation may still take (docs/decisions.md).</summary>
    public Money Available => Appropriated + Adjustments - Reserved - Paid + Returned + Repaid;

    public static BudgetLine Evolve(BudgetLine state, IBudgetEvent @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(@event);
        if (@event.Line != state.Key)
        {
            throw new ArgumentException($"Budget event of line {@event.Line} folded into line {state.Key}.", nameof(@event));
        }
        var next = @event switch
        {
            BudgetAppropriated e => state with { IsAppropriated = true, Appropriated = state.Appropriated + e.Amount },
            BudgetAdjusted e => state with { Adjustments = state.Adjustments + e.Delta },
            BudgetReserved e => state with
            {
                Reserved = state.Reserved + e.Amount,
                Reservations = state.Reservations.Add(e.DisbursementId, e.Amount),
            },
            BudgetReservationReleased e => state with
            {
                Reserved = state.Reserved - e.Amount,
                Reservations = state.Reservations.Remove(e.DisbursementId),
            },
            BudgetPaid e => state with
            {
                Reserved = state.Reserved - e.Amount,
                Paid = state.Paid + e.Amount,
                Reservations = state.Reservations.Remove(e.DisbursementId),
            },
            BudgetReturned e => state with { Returned = state.Returned + e.Amount },
            BudgetClawbackCredited e => state with { Repaid = state.Repaid + e.Amount },
            _ => throw new ArgumentException($"Not a budget event: {@event.GetType().Name}", nameof(@event)),
        };
        return next with { StreamVersion = state.StreamVersion + 1 };
    }
}
