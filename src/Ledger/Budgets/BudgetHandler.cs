using Ledger.EventStore;
using Ledger.Reference;

namespace Ledger.Budgets;

/// <summary>Appropriates and adjusts budget lines (division × fiscal year × level), each its own stream.</summary>
public sealed class BudgetHandler(CommandRunner runner, ReferenceData reference)
{
    public const string StreamType = "budget-line";

    public Task AppropriateAsync(AppropriateBudget command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var line = await LoadAsync(command.Line, null, ct);
            return [Append(line, BudgetDecider.Decide(command, line.State, reference))];
        }, cancellationToken: cancellationToken);

    public Task AdjustAsync(AdjustBudget command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var line = await LoadAsync(command.Line, null, ct);
            return [Append(line, BudgetDecider.Decide(command, line.State))];
        }, command.Reason, cancellationToken);

    public Task<Aggregated<BudgetLine>> LoadAsync(BudgetLineKey key, ReadLimit? limit = null, CancellationToken cancellationToken = default) =>
        runner.Store.AggregateStreamAsync(BudgetLineKey.StreamId(key), BudgetLine.Initial(key), Evolve, limit, cancellationToken);

    /// <summary>The line's stream as a fold to read together with others (<see cref="EventStore.EventStore.AggregateStreamsAsync"/>).</summary>
    public static StreamFold<BudgetLine> Fold(BudgetLineKey key) => new(BudgetLineKey.StreamId(key), BudgetLine.Initial(key), Evolve);

    private static BudgetLine Evolve(BudgetLine state, object e) => BudgetLine.Evolve(state, (IBudgetEvent)e);

    // The line's version is the one decided on: a cut (or an appropriation) never races another change to the line.
    private static StreamAppend Append(Aggregated<BudgetLine> line, IBudgetEvent @event) =>
        new(line.State.StreamId, StreamType, line.Version, line.State.Key.DivisionCode, [@event]);
}
