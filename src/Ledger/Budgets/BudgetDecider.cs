using Ledger.Policies;
using Ledger.Reference;

namespace Ledger.Budgets;

/// <summary>
/// Decides the administrator's budget commands. Reservations, payments, returns and clawback credits are decided
/// together with the award's events (<see cref="Disbursements.DisbursementDecider"/>, <see cref="Clawbacks.ClawbackDecider"/>).
/// </summary>
public static class BudgetDecider
{
    /// <summary>
    /// The first appropriation of a line. The division must exist and sit at the line's level (a county line for a
    /// county, a city line for a city), since that is the budget a funding share at that level draws on.
    /// </summary>
    public static BudgetAppropriated Decide(AppropriateBudget command, BudgetLine line, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(reference);
        SameLine(command.Line, line);
        var code = DivisionCode.Parse(command.Line.DivisionCode, "line.divisionCode");
        var division = reference.FindDivision(code) ?? throw new DomainException(
            "budget.unknown-division",
            $"line.divisionCode: {code} is not a division in the reference data (divisions.csv); give the division whose budget this is.");
        if (division.Level != LevelOf(command.Line.Level))
        {
            throw new DomainException(
                "budget.level-mismatch",
                $"line.level: {code} ({division.Name}) is a {division.Level.ToString().ToLowerInvariant()}-level division and cannot hold a {BudgetLineKey.LevelName(command.Line.Level)} budget; give the {BudgetLineKey.LevelName(command.Line.Level)}-level division.");
        }
        var actor = Require.Text(command.Actor, "budget.field-required", "actor");
        if (line.IsAppropriated)
        {
            throw new DomainException(
                "budget.already-appropriated",
                $"Budget line {line.Key} was already appropriated ({line.Appropriated}); change it with an adjustment and a reason.");
        }
        var amount = Money.Of(command.Amount, "amount");
        if (!amount.IsPositive)
        {
            throw new DomainException("budget.amount-not-positive", $"amount: {amount} must be greater than 0.");
        }
        return new BudgetAppropriated(line.StreamId, line.Key, amount, actor, command.At);
    }

    /// <summary>
    /// An adjustment never takes the line below what it has committed: after a cut, the reserved and paid money must
    /// still be covered by appropriation + adjustments + money that came back, i.e. available stays at or above zero.
    /// </summary>
    public static BudgetAdjusted Decide(AdjustBudget command, BudgetLine line)
    {
        ArgumentNullException.ThrowIfNull(command);
        SameLine(command.Line, line);
        var reason = Require.Text(command.Reason, "budget.field-required", "reason");
        var actor = Require.Text(command.Actor, "budget.field-required", "actor");
        if (!line.IsAppropriated)
        {
            throw new DomainException(
                "budget.not-appropriated",
                $"Budget line {line.Key} has no appropriation to adjust; appropriate it first.");
        }
        var delta = Money.Of(command.Delta, "delta");
        if (delta == Money.Zero)
        {
            throw new DomainException("budget.adjustment-zero", "delta: 0 changes nothing; give a positive amount to raise the line or a negative one to cut it.");
        }
        if (line.Available + delta < Money.Zero)
        {
            throw new DomainException(
                "budget.below-committed",
                $"delta: a cut of {-delta} would take budget line {line.Key} below what it has reserved ({line.Reserved}) and paid ({line.Paid}); it has {line.Available} available, so it can be cut by at most {line.Available}.");
        }
        return new BudgetAdjusted(line.StreamId, line.Key, delta, reason, actor, command.At);
    }

    private static DivisionLevel LevelOf(FundingLevel level) => level switch
    {
        FundingLevel.Province => DivisionLevel.Province,
        FundingLevel.City => DivisionLevel.City,
        _ => DivisionLevel.County,
    };

    private static void SameLine(BudgetLineKey commanded, BudgetLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (commanded != line.Key)
        {
            throw new ArgumentException($"The command names budget line {commanded} but line {line.Key} was loaded.", nameof(line));
        }
    }
}
