using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.Reports;

namespace Ledger.ReadModels;

/// <summary>Every projection onto the read tables, in the order they see each event (a table is written before rows that look values up in it).</summary>
public static class ReadProjections
{
    public static IReadOnlyList<IReadProjection> All { get; } =
    [
        new EnterpriseProjection(), new PolicyProjection(), new DesignationProjection(), new AwardProjection(),
        new DisbursementProjection(), new HistoryProjection(), new MovementProjection(), new BudgetExecutionProjection(),
        new PublishedFigureProjection(), new Imports.ImportProjection(),
    ];
}
