using Marten;
using Wolverine;

namespace Ledger.Budgets;

/// <summary>The Wolverine handlers of the budgets commands: each runs one command in the session Wolverine opened for it.</summary>
public static class BudgetCommandHandler
{
    public static Task Handle(AppropriateBudget command, BudgetHandler budgets, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        budgets.AppropriateAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(AdjustBudget command, BudgetHandler budgets, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        budgets.AdjustAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);
}
