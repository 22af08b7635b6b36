using NodaTime;

namespace Ledger.Budgets;

/// <summary>Amounts are decimals so that the decider, not the caller, refuses more than two places.</summary>
public sealed record AppropriateBudget(BudgetLineKey Line, decimal Amount, string Actor, Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>Raises (positive <see cref="Delta"/>) or cuts (negative) an appropriated line.</summary>
public sealed record AdjustBudget(BudgetLineKey Line, decimal Delta, string Reason, string Actor, Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}
