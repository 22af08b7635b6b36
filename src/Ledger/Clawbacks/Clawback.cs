using Ledger.Budgets;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Clawbacks;

/// <summary>One clawback of an award, as its events say it is now.</summary>
public sealed record Clawback(
    Guid Id,
    FundingLevel Level,
    string DivisionCode,
    Money Amount,
    Money Repaid,
    string Reason,
    Instant DemandedAt,
    IReadOnlyList<ClawbackRepayment> Repayments)
{
    public Money Outstanding => Amount - Repaid;

    public bool IsSettled => Outstanding == Money.Zero;

    /// <summary>The line a repayment on <paramref name="valueDate"/> goes back to: same division and level, the repayment's year.</summary>
    public BudgetLineKey CreditLine(LocalDate valueDate) => new(DivisionCode, valueDate.Year, Level);
}

public sealed record ClawbackRepayment(Money Amount, LocalDate ValueDate, string VoucherNumber);
