using Ledger.Budgets;

namespace Ledger.Disbursements;

/// <summary>
/// What a disbursement, clawback or award-account command decided. The handler appends <see cref="AwardEvents"/> to
/// the award's stream and each budget event to the stream of its line (<see cref="BudgetLineKey.StreamId"/>), all in
/// one transaction, at the versions it loaded. A line other than the reserved one (a return or repayment in another
/// year) is a different stream.
/// </summary>
public sealed record Decision(
    IReadOnlyList<object> AwardEvents,
    IReadOnlyList<(BudgetLineKey Line, IBudgetEvent Event)> BudgetEvents)
{
    public static Decision Nothing { get; } = new([], []);

    public static Decision Of(params object[] awardEvents) => new(awardEvents, []);

    public Decision And(BudgetLineKey line, IBudgetEvent @event) => this with { BudgetEvents = [.. BudgetEvents, (line, @event)] };

    public Decision And(Decision other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new Decision([.. AwardEvents, .. other.AwardEvents], [.. BudgetEvents, .. other.BudgetEvents]);
    }

    /// <summary>Every event, the award's first, then the budget lines' in order.</summary>
    public IReadOnlyList<object> Events => [.. AwardEvents, .. BudgetEvents.Select(b => (object)b.Event)];

    /// <summary>The budget lines the decision touches, each once.</summary>
    public IReadOnlyList<BudgetLineKey> Lines => [.. BudgetEvents.Select(b => b.Line).Distinct()];

    public bool IsEmpty => AwardEvents.Count == 0 && BudgetEvents.Count == 0;
}
