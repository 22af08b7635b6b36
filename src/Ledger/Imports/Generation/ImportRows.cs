using Ledger.Budgets;
using Ledger.Enterprises;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Imports.Generation;

/// <summary>An award as the import files name it: the recognition or renewal (enterprise, tier, trigger, decision date) that determined it.</summary>
public sealed record AwardReference(string Uscc, string Tier, AwardTrigger Trigger, LocalDate DecidedOn);

/// <summary>One policy of policies.csv; the writer turns it into one row per rule.</summary>
public sealed record PolicyRow(string PolicyKey, string IssuerCode, PolicyTerms Terms);

public sealed record EnterpriseRow(string Uscc, string Name, string CountyCode, string Industry, BankAccount? BankAccount);

public sealed record BudgetRow(BudgetLineKey Line, Money Amount);

/// <summary>A recognition or renewal; <see cref="Authority"/> is a printed name or a division code.</summary>
public sealed record RecognitionRow(string Uscc, string Tier, AwardTrigger Trigger, LocalDate DecidedOn, string Authority, string DocumentNo, LocalDate? ValidTo);

/// <summary>An up-to award re-determined lower (awards.csv).</summary>
public sealed record LoweringRow(AwardReference Award, string PolicyKey, Money Amount, string Reason);

public sealed record PaymentRow(AwardReference Award, string PolicyKey, Money Amount, FundingLevel Level, LocalDate PaidOn, string Voucher, string? ApprovedBy);

public sealed record ReturnRow(string Voucher, LocalDate ReturnedOn, string Reason);

/// <summary>A clawback of one level of an award; the three repayment fields are all set or all null.</summary>
public sealed record ClawbackRow(
    AwardReference Award, string PolicyKey, FundingLevel Level, Money Amount, LocalDate DemandedOn, string Reason,
    Money? Repaid, LocalDate? RepaidOn, string? RepaymentVoucher);
