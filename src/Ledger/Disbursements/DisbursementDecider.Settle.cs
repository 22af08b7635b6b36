using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.Imports;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Disbursements;

public static partial class DisbursementDecider
{
    /// <summary>
    /// Refused before payment. Award stream: <see cref="DisbursementRejected"/>; if the request was fully approved, its
    /// reservation line (<see cref="Disbursement.ReservationLine"/>) also gets <see cref="BudgetReservationReleased"/>.
    /// </summary>
    public static Decision Decide(RejectDisbursement command, AwardAccount account)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Withdraw(account, command.DisbursementId, command.Reason, command.Actor, command.At, "reject it", ReleaseReason.Rejected,
            (disbursement, reason, actor) => new DisbursementRejected(account.Award.Id, disbursement, reason, actor, command.At));
    }

    /// <summary>Withdrawn before payment; the same streams as a rejection. Allowed on a cancelled award or a revoked designation (that is the clean-up).</summary>
    public static Decision Decide(CancelDisbursement command, AwardAccount account)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Withdraw(account, command.DisbursementId, command.Reason, command.Actor, command.At, "cancel it", ReleaseReason.Cancelled,
            (disbursement, reason, actor) => new DisbursementCancelled(account.Award.Id, disbursement, reason, actor, command.At));
    }

    /// <summary>Rejection and cancellation: an open disbursement ends with a reason, and an approved one releases its reservation.</summary>
    private static Decision Withdraw(
        AwardAccount account, Guid disbursementId, string reasonText, string actorText, Instant at, string action,
        ReleaseReason releaseReason, Func<Guid, string, string, object> ended)
    {
        var disbursement = Existing(account, disbursementId);
        if (!disbursement.IsOpen)
        {
            throw IllegalTransition(account, disbursement, action);
        }
        var reason = Require.Text(reasonText, "disbursement.field-required", "reason");
        var actor = Require.Text(actorText, "disbursement.field-required", "actor");
        return Release(Decision.Of(ended(disbursement.Id, reason, actor)), account, disbursement, releaseReason, actor, at);
    }

    /// <summary>
    /// Cancels every open disbursement of the award (requested, or approved and not paid), releasing the reservations of
    /// the approved ones: for the award's cancellation and the designation's revocation. Award stream: one
    /// <see cref="DisbursementCancelled"/> each; each reservation line: <see cref="BudgetReservationReleased"/>.
    /// Nothing open: an empty decision.
    /// </summary>
    public static Decision CancelOpen(AwardAccount account, string reason, ReleaseReason releaseReason, string actor, Instant at)
    {
        ArgumentNullException.ThrowIfNull(account);
        var why = Require.Text(reason, "disbursement.field-required", "reason");
        var who = Require.Text(actor, "disbursement.field-required", "actor");
        return account.InOrder
            .Where(d => d.IsOpen)
            .Aggregate(Decision.Nothing, (decision, d) => Release(
                decision.And(Decision.Of(new DisbursementCancelled(account.Award.Id, d.Id, why, who, at))),
                account, d, releaseReason, who, at));
    }

    /// <summary>
    /// The treasury paid an approved disbursement. Award stream: <see cref="DisbursementPaid"/>; reservation line:
    /// <see cref="BudgetPaid"/> (reserved → paid). The value date must fall in the planned payment year (the year the
    /// amount was reserved in), must not be before the award's determination and not after the day it is recorded, and
    /// must be a working day (the treasury does not settle on others): a live payment on a non-working day is refused,
    /// an imported one is recorded with a warning. The payment carries the county <paramref name="payee"/> (the award's
    /// enterprise) was in on the value date.
    /// </summary>
    public static Decision Decide(
        RecordDisbursementPayment command, AwardAccount account, DesignationState designation, Enterprise payee, WorkingDayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(payee);
        ArgumentNullException.ThrowIfNull(calendar);
        var disbursement = Existing(account, command.DisbursementId);
        if (disbursement.Status != DisbursementStatus.Approved)
        {
            throw IllegalTransition(account, disbursement, "record a payment");
        }
        var award = Payable(account, designation, "record a payment");
        var voucher = Require.Text(command.VoucherNumber, "disbursement.field-required", "voucherNumber");
        var actor = Require.Text(command.Actor, "disbursement.field-required", "actor");
        if (command.ValueDate.Year != disbursement.PlannedYear)
        {
            throw new DomainException(
                "disbursement.value-date-year",
                $"valueDate: {Iso(command.ValueDate)} is not in {disbursement.PlannedYear}, the planned payment year disbursement {disbursement.Number} of award {award.Id} reserved budget in; cancel it and request again for {command.ValueDate.Year}.");
        }
        if (command.ValueDate < award.DeterminationDate)
        {
            throw new DomainException(
                "disbursement.value-date-before-determination",
                $"valueDate: {Iso(command.ValueDate)} is before award {award.Id} was determined ({Iso(award.DeterminationDate)}); check the date on the treasury voucher.");
        }
        NotFuture(command.ValueDate, command.At, "valueDate", "a payment is recorded once the treasury has made it");
        if (payee.Id != award.EnterpriseId)
        {
            throw new ArgumentException($"The payee loaded is enterprise {payee.Id}, but award {award.Id} was determined for enterprise {award.EnterpriseId}.", nameof(payee));
        }
        string? importBatch = null;
        List<SkippedRule> skipped = [];
        if (command.Historical is { } historical)
        {
            importBatch = Require.Text(historical.ImportBatch, "disbursement.field-required", "historical.importBatch");
            if (ValueDateWarning(calendar, command.ValueDate) is { } warning)
            {
                skipped.Add(new SkippedRule(ImportRule.ValueDateWorkingDay, importBatch, actor, $"payment of disbursement {disbursement.Number} of award {award.Id} (voucher {voucher}): {warning}"));
            }
        }
        else if (!calendar.IsWorkingDay(command.ValueDate))
        {
            throw new DomainException(
                "disbursement.value-date-not-working-day",
                $"valueDate: {Iso(command.ValueDate)} is not a working day ({calendar.NonWorkingReason(command.ValueDate)}) and the treasury does not settle on one; {Neighbours(calendar, command.ValueDate)}. Check the date on the treasury voucher.");
        }
        var line = disbursement.ReservationLine;
        return Decision.Of(new DisbursementPaid(
                award.Id, disbursement.Id, disbursement.Amount, voucher, command.ValueDate, payee.CountyOn(command.ValueDate), importBatch, skipped, actor, command.At))
            .And(line, new BudgetPaid(BudgetLineKey.StreamId(line), line, disbursement.Id, award.Id, disbursement.Amount, command.ValueDate, actor, command.At));
    }

    /// <summary>
    /// The bank returned a paid disbursement in full. Award stream: <see cref="DisbursementReturned"/> (the amount no longer
    /// counts against the share, so it can be requested again); the line of the RETURN's year (same division and level,
    /// possibly another stream than the reserved line): <see cref="BudgetReturned"/>. Allowed on a cancelled award or
    /// revoked designation: the money came back whatever the award's fate.
    /// </summary>
    public static Decision Decide(RecordDisbursementReturn command, AwardAccount account)
    {
        ArgumentNullException.ThrowIfNull(command);
        var disbursement = Existing(account, command.DisbursementId);
        if (disbursement.Status != DisbursementStatus.Paid)
        {
            throw IllegalTransition(account, disbursement, "record a bank return");
        }
        var reason = Require.Text(command.Reason, "disbursement.field-required", "reason");
        var actor = Require.Text(command.Actor, "disbursement.field-required", "actor");
        if (command.ReturnedOn < disbursement.ValueDate)
        {
            throw new DomainException(
                "disbursement.returned-before-paid",
                $"returnedOn: {Iso(command.ReturnedOn)} is before disbursement {disbursement.Number} was paid ({Iso(disbursement.ValueDate!.Value)}); check the date on the bank's notice.");
        }
        NotFuture(command.ReturnedOn, command.At, "returnedOn", "a return is recorded once the bank has sent the money back");
        // Clawbacks were demanded against what had been paid; a return that took the paid amount below them would
        // leave the enterprise owing money it never kept.
        var level = disbursement.Level;
        if (account.PaidNet(level) - disbursement.Amount < account.ClawbackDemanded(level))
        {
            throw new DomainException(
                "disbursement.return-below-clawback",
                $"Award {account.Award.Id} has clawbacks of {account.ClawbackDemanded(level)} on its {BudgetLineKey.LevelName(level)} share, which this return of {disbursement.Amount} would leave more than the {account.PaidNet(level) - disbursement.Amount} still paid; settle the return with the clawback department before recording it.");
        }
        var line = new BudgetLineKey(disbursement.DivisionCode, command.ReturnedOn.Year, level);
        return Decision.Of(new DisbursementReturned(account.Award.Id, disbursement.Id, disbursement.Amount, command.ReturnedOn, reason, actor, command.At))
            .And(line, new BudgetReturned(BudgetLineKey.StreamId(line), line, disbursement.Id, account.Award.Id, disbursement.Amount, command.ReturnedOn, actor, command.At));
    }

    /// <summary>What is wrong with an imported value date, or null when it is a working day.</summary>
    private static string? ValueDateWarning(WorkingDayCalendar calendar, LocalDate valueDate)
    {
        if (!calendar.Covers(valueDate.Year))
        {
            return $"value date {Iso(valueDate)} could not be checked: the holiday table has no schedule for {valueDate.Year}";
        }
        return calendar.IsWorkingDay(valueDate)
            ? null
            : $"value date {Iso(valueDate)} is not a working day ({calendar.NonWorkingReason(valueDate)}); {Neighbours(calendar, valueDate)}";
    }

    private static string Neighbours(WorkingDayCalendar calendar, LocalDate date)
    {
        static string Or(LocalDate? day, string none) => day is { } d ? Iso(d) : none;
        return $"the previous working day is {Or(calendar.PreviousWorkingDay(date), "not in the holiday table")} and the next is {Or(calendar.NextWorkingDay(date), "not in the holiday table")}";
    }

    private static Decision Release(Decision decision, AwardAccount account, Disbursement disbursement, ReleaseReason reason, string actor, Instant at)
    {
        if (disbursement.Status != DisbursementStatus.Approved)
        {
            return decision;
        }
        var line = disbursement.ReservationLine;
        return decision.And(line, new BudgetReservationReleased(
            BudgetLineKey.StreamId(line), line, disbursement.Id, account.Award.Id, disbursement.Amount, reason, actor, at));
    }

    private static void NotFuture(LocalDate date, Instant at, string field, string why)
    {
        var today = ChinaTime.DateOf(at);
        if (date > today)
        {
            throw new DomainException(
                "disbursement.date-in-future",
                $"{field}: {Iso(date)} is after today ({Iso(today)}); {why}.");
        }
    }
}
