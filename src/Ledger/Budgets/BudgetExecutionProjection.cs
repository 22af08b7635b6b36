using Ledger.ReadModels;

namespace Ledger.Budgets;

/// <summary>
/// Keeps <c>budget_execution</c>: per budget line, what was appropriated, adjusted, is reserved (approved and not yet
/// paid or released), paid, returned and repaid — atomic increments, so concurrent approvals on one line never lose
/// one another's amounts. Available = appropriated + adjusted − reserved − paid + returned + repaid (docs/reports.md).
/// </summary>
public sealed class BudgetExecutionProjection : IReadProjection
{
    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.BudgetExecution];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case BudgetAppropriated e:
                Add(writer, e.Line, new Delta("appropriated", e.Amount.Yuan));
                break;
            case BudgetAdjusted e:
                Add(writer, e.Line, new Delta("adjusted", e.Delta.Yuan));
                break;
            case BudgetReserved e:
                Add(writer, e.Line, new Delta("reserved", e.Amount.Yuan));
                break;
            case BudgetReservationReleased e:
                Add(writer, e.Line, new Delta("reserved", -e.Amount.Yuan));
                break;
            case BudgetPaid e:
                Add(writer, e.Line, new Delta("reserved", -e.Amount.Yuan), new Delta("paid", e.Amount.Yuan));
                break;
            case BudgetReturned e:
                Add(writer, e.Line, new Delta("returned", e.Amount.Yuan));
                break;
            case BudgetClawbackCredited e:
                Add(writer, e.Line, new Delta("repaid", e.Amount.Yuan));
                break;
        }
    }

    private static void Add(IReadModelWriter writer, BudgetLineKey line, params Delta[] deltas) =>
        writer.Add(ReadTables.BudgetExecution, [line.DivisionCode, line.FiscalYear, BudgetLineKey.LevelName(line.Level)], deltas);
}
