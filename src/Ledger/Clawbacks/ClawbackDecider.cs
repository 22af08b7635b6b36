using System.Globalization;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Disbursements;
using NodaTime;

namespace Ledger.Clawbacks;

/// <summary>
/// Decides clawbacks (追回) of money paid on an award. Both live on the award's stream, so a clawback and a bank return
/// on the same award cannot both pass on stale figures.
/// </summary>
public static class ClawbackDecider
{
    /// <summary>
    /// Demands back at most what was paid from the level and not returned, net of earlier clawbacks. Touches the award
    /// stream only (<see cref="ClawbackDemanded"/>). Allowed on a cancelled award: cancelling stops future payments,
    /// getting paid money back is this.
    /// </summary>
    public static Decision Decide(DemandClawback command, AwardAccount account)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(account);
        var award = account.Award;
        if (award.Status == AwardStatus.None)
        {
            throw new DomainException(
                "clawback.award-not-determined",
                $"Award {award.Id} has not been determined: nothing was paid on it to claw back.");
        }
        if (account.Clawbacks.ContainsKey(command.ClawbackId))
        {
            throw new DomainException(
                "clawback.duplicate-id",
                $"clawbackId: {command.ClawbackId} is already a clawback of award {award.Id}; give a new id for a new demand.");
        }
        var reason = Require.Text(command.Reason, "clawback.field-required", "reason");
        var actor = Require.Text(command.Actor, "clawback.field-required", "actor");
        var share = award.Funding.FirstOrDefault(f => f.Level == command.Level) ?? throw new DomainException(
            "clawback.unknown-source",
            $"level: award {award.Id} is not funded from the {BudgetLineKey.LevelName(command.Level)} level; choose one of its funding sources: {string.Join(", ", award.Funding.Select(f => BudgetLineKey.LevelName(f.Level)))}.");
        var amount = Positive(command.Amount, "amount");
        var reclaimable = account.Reclaimable(command.Level);
        if (amount > reclaimable)
        {
            throw new DomainException(
                "clawback.exceeds-paid",
                $"amount: {amount} is more than can be demanded back from the {BudgetLineKey.LevelName(command.Level)} share of award {award.Id}: {account.PaidNet(command.Level)} paid and not returned, of which {account.ClawbackDemanded(command.Level)} already demanded by earlier clawbacks, leaves at most {reclaimable}.");
        }
        if (command.DemandedOn is { } demandedOn && demandedOn > ChinaTime.DateOf(command.At))
        {
            throw new DomainException("clawback.demanded-on", $"demandedOn: {demandedOn:uuuu-MM-dd} is after today; record a demand once it is made.");
        }
        return Decision.Of(new ClawbackDemanded(award.Id, command.ClawbackId, command.Level, share.DivisionCode, amount, reason, actor, command.At, command.DemandedOn));
    }

    /// <summary>
    /// Demands back, for every level, all that was paid and not yet demanded: what a revocation with clawback asks for.
    /// The ids are name-based on the award and the stream version, so the same account always gives the same demand, and
    /// once it is recorded nothing is left to demand: running it again decides nothing.
    /// </summary>
    public static Decision DemandAll(AwardAccount account, string reason, string actor, Instant at)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Award.Funding
            .Select(f => f.Level)
            .Distinct()
            .Where(level => account.Reclaimable(level).IsPositive)
            .Aggregate(Decision.Nothing, (decision, level) => decision.And(Decide(
                new DemandClawback(
                    account.Award.Id,
                    DeterministicGuid.Create(string.Create(
                        CultureInfo.InvariantCulture, $"clawback:{account.Award.Id:D}:{account.StreamVersion}:{BudgetLineKey.LevelName(level)}")),
                    level,
                    account.Reclaimable(level).Yuan,
                    reason,
                    actor,
                    at),
                account)));
    }

    /// <summary>
    /// A repayment, partial or in full, never more than is outstanding. Award stream: <see cref="ClawbackRepaid"/>; the line
    /// of the clawback's division and level in the year of the repayment's value date: <see cref="BudgetClawbackCredited"/>.
    /// </summary>
    public static Decision Decide(RecordClawbackRepayment command, AwardAccount account)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(account);
        var clawback = account.Clawbacks.GetValueOrDefault(command.ClawbackId) ?? throw new DomainException(
            "clawback.not-found",
            $"clawbackId: award {account.Award.Id} has no clawback {command.ClawbackId}; check the id, or demand the clawback first.");
        var voucher = Require.Text(command.VoucherNumber, "clawback.field-required", "voucherNumber");
        var actor = Require.Text(command.Actor, "clawback.field-required", "actor");
        var amount = Positive(command.Amount, "amount");
        if (clawback.IsSettled)
        {
            throw new DomainException(
                "clawback.settled",
                $"Clawback {clawback.Id} of award {account.Award.Id} is settled: all {clawback.Amount} was repaid. Nothing more can be received on it.");
        }
        if (amount > clawback.Outstanding)
        {
            throw new DomainException(
                "clawback.over-repayment",
                $"amount: {amount} is more than the {clawback.Outstanding} still outstanding on clawback {clawback.Id} of award {account.Award.Id} ({clawback.Amount} demanded, {clawback.Repaid} repaid); record at most {clawback.Outstanding}, and refund any excess outside this clawback.");
        }
        var today = ChinaTime.DateOf(command.At);
        if (command.ValueDate > today)
        {
            throw new DomainException(
                "clawback.date-in-future",
                $"valueDate: {command.ValueDate.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)} is after today ({today.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}); a repayment is recorded once the treasury has received it.");
        }
        var line = clawback.CreditLine(command.ValueDate);
        return Decision.Of(new ClawbackRepaid(account.Award.Id, clawback.Id, amount, command.ValueDate, voucher, actor, command.At))
            .And(line, new BudgetClawbackCredited(BudgetLineKey.StreamId(line), line, clawback.Id, account.Award.Id, amount, command.ValueDate, actor, command.At));
    }

    private static Money Positive(decimal value, string field)
    {
        var amount = Money.Of(value, field);
        if (!amount.IsPositive)
        {
            throw new DomainException("clawback.amount-not-positive", $"{field}: {amount} must be greater than 0.");
        }
        return amount;
    }
}
