using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Enterprises;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Benchmarks;

/// <summary>One disbursement of one funding share: requested, approved, paid on <see cref="ValueDate"/>; perhaps returned by the bank.</summary>
public sealed record TranchePlan(Guid DisbursementId, FundingAmount Share, LocalDate ApprovedOn, LocalDate ValueDate, string Voucher, LocalDate? ReturnedOn)
{
    /// <summary>The line it reserves on and is paid from: the share's division, the planned (= payment) year, the share's level.</summary>
    public BudgetLineKey Line => new(Share.DivisionCode, ValueDate.Year, Share.Level);
}

/// <summary>A clawback of one paid share, demanded by hand and repaid in full.</summary>
public sealed record ClawbackPlan(Guid ClawbackId, FundingAmount Share, LocalDate DemandedOn, LocalDate RepaidOn, string Voucher)
{
    /// <summary>Repayments go back to the line of the same division and level in the year of the repayment.</summary>
    public BudgetLineKey Line => new(Share.DivisionCode, RepaidOn.Year, Share.Level);
}

/// <summary>
/// One award as the ledger determines it (<see cref="AwardCalculator.Determine"/>), perhaps re-determined lower to
/// <see cref="Amount"/> before any payment, then paid share by share.
/// </summary>
public sealed record AwardPlan(
    AwardDetermined Determined, Stacking Stacking, Money Amount, IReadOnlyList<FundingAmount> Funding, int Approvals,
    LocalDate RequestedOn, IReadOnlyList<TranchePlan> Tranches, ClawbackPlan? Clawback)
{
    public bool Redetermined => Amount != Determined.Amount;

    /// <summary>Highest-only recognition awards are also stacked on the policy × enterprise stream.</summary>
    public bool Stacked => Stacking == Stacking.HighestOnly;
}

/// <summary>One enterprise: registered, recognised once (an imported decision), and the awards that recognition earned.</summary>
public sealed record EnterprisePlan(
    string Uscc, Guid EnterpriseId, string Name, string County, string Tier, Guid DesignationId, LocalDate RecognizedOn, BankAccount Account,
    IReadOnlyList<AwardPlan> Awards)
{
    public int Year => RecognizedOn.Year;

    /// <summary>Every event the plan appends, over its four stages.</summary>
    public int Events => 2 + Awards.Sum(a =>
        1 + (a.Stacked ? 1 : 0) + (a.Redetermined ? 1 : 0) + (a.Clawback is null ? 0 : 3)
        + a.Tranches.Sum(t => 2 + a.Approvals + 2 + (t.ReturnedOn is null ? 0 : 2)));
}

/// <summary>What the reports should say for one fiscal year, computed from the plans.</summary>
public sealed record ExpectedYear(Money Determined, Money Paid, Money Returned, Money Repaid, int Enterprises, int Awards)
{
    public Money NetPaid => Paid - Returned - Repaid;
}
