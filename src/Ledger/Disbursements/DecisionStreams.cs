using Ledger.Awards;
using Ledger.Budgets;
using Ledger.EventStore;

namespace Ledger.Disbursements;

/// <summary>
/// Turns decisions on award accounts into the stream appends of one command: each award's events on its
/// stream at the version the decision was made on, and the budget events grouped by line (one append
/// per line however many awards touch it). A line the decision read (a reservation checks what is
/// available) is appended at the version read; a line only credited or debited without reading it
/// accepts any version, so unrelated payments on one line do not conflict.
/// </summary>
internal static class DecisionStreams
{
    public static IReadOnlyList<StreamAppend> Appends(
        IEnumerable<(AwardAccount Account, Decision Decision)> decisions,
        IReadOnlyDictionary<BudgetLineKey, long>? linesReadAt = null)
    {
        var appends = new List<StreamAppend>();
        var budget = new List<(BudgetLineKey Line, IBudgetEvent Event)>();
        foreach (var (account, decision) in decisions)
        {
            if (decision.AwardEvents.Count > 0)
            {
                appends.Add(new StreamAppend(account.Award.Id, AwardHandler.StreamType, account.StreamVersion, account.Award.CountyCode, decision.AwardEvents));
            }
            budget.AddRange(decision.BudgetEvents);
        }
        foreach (var line in budget.GroupBy(b => b.Line))
        {
            var expected = linesReadAt is not null && linesReadAt.TryGetValue(line.Key, out var version) ? version : ExpectedVersion.Any;
            // A busy line is not what the command aims at: a conflict there is decided again on the line's fresh state.
            appends.Add(new StreamAppend(BudgetLineKey.StreamId(line.Key), BudgetHandler.StreamType, expected, line.Key.DivisionCode,
                [.. line.Select(b => (object)b.Event)], RetryOnConflict: true));
        }
        return appends;
    }

    public static IReadOnlyList<StreamAppend> Appends(AwardAccount account, Decision decision, IReadOnlyDictionary<BudgetLineKey, long>? linesReadAt = null) =>
        Appends([(account, decision)], linesReadAt);
}
