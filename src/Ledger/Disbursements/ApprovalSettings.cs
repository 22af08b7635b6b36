using Ledger.Policies;

namespace Ledger.Disbursements;

/// <summary>
/// How many distinct approvers a disbursement needs (docs/decisions.md): the AWARD's amount (not the tranche's, so splitting a
/// payment cannot evade it) compared with the policy's dual-approval threshold, or <see cref="DefaultDualApprovalThreshold"/>
/// when the policy sets none. The chain lengths are configuration: audits of such funds often ask for three signatures.
/// </summary>
public sealed record ApprovalSettings(
    Money DefaultDualApprovalThreshold,
    int ApprovalsBelowThreshold = 1,
    int ApprovalsAtOrAboveThreshold = 2)
{
    public Money ThresholdFor(PolicyTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.DualApprovalThreshold ?? DefaultDualApprovalThreshold;
    }

    public int RequiredApprovals(Money awardAmount, PolicyTerms terms)
    {
        // Configuration, not user input: a bad value is a deployment error, not a rule violation.
        ArgumentOutOfRangeException.ThrowIfLessThan(ApprovalsBelowThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ApprovalsAtOrAboveThreshold, ApprovalsBelowThreshold);
        return awardAmount >= ThresholdFor(terms) ? ApprovalsAtOrAboveThreshold : ApprovalsBelowThreshold;
    }
}
