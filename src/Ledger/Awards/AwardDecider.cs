using Ledger.Policies;

namespace Ledger.Awards;

/// <summary>
/// Decides changes to a determined award and folds award events. The determination itself is
/// <see cref="AwardCalculator.Determine"/>. <c>paid</c> is the net amount paid on the award so far (paid − returned),
/// which the caller reads from the disbursements.
/// </summary>
public static class AwardDecider
{
    /// <summary>Lowers an up-to award: never to or above the current amount, never below what was paid.</summary>
    public static AwardRedetermined Decide(RedetermineAward command, AwardState state, Money paid)
    {
        var rule = Determined(state, "re-determine it");
        ArgumentOutOfRangeException.ThrowIfLessThan(paid, Money.Zero);
        if (rule.Kind != AmountKind.UpTo)
        {
            throw new DomainException(
                "award.fixed-amount",
                $"Award {state.Id} follows a fixed rule of {rule.Amount.ToChinese()}: only up-to (最高) awards can be re-determined. To withdraw it, cancel it.");
        }
        var reason = Require.Text(command.Reason, "award.field-required", "reason");
        var actor = Require.Text(command.Actor, "award.field-required", "actor");
        if (command.NewAmount >= state.Amount)
        {
            throw new DomainException(
                "award.redetermine-not-lower",
                $"newAmount: {command.NewAmount} is not lower than the current amount {state.Amount} (rule maximum {rule.Amount}); an up-to award can only be re-determined lower.");
        }
        if (!command.NewAmount.IsPositive)
        {
            throw new DomainException(
                "award.amount-not-positive",
                $"newAmount: {command.NewAmount} must be greater than 0; to withdraw the award, cancel it.");
        }
        if (command.NewAmount < paid)
        {
            throw new DomainException(
                "award.below-paid",
                $"newAmount: {command.NewAmount} is below the {paid} already paid on award {state.Id}; give at least {paid}, or demand a clawback first.");
        }
        if (command.DecidedOn is { } decidedOn && (decidedOn < state.DeterminationDate || decidedOn > ChinaTime.DateOf(command.At)))
        {
            throw new DomainException(
                "award.redetermined-on",
                $"decidedOn: {decidedOn:uuuu-MM-dd} is not between the award's determination on {state.DeterminationDate:uuuu-MM-dd} and today.");
        }
        return new AwardRedetermined(
            state.Id, state.Amount, command.NewAmount, paid, FundingSplit.Apportion(command.NewAmount, state.Funding), reason, actor, command.At,
            command.DecidedOn);
    }

    /// <summary>Cancels what is not paid yet. A fully paid award can still be cancelled (nothing left to pay; it stops counting for stacking).</summary>
    /// <param name="paidNet">What each funding level has paid on the award and the bank did not return.</param>
    public static AwardCancelled Decide(CancelAward command, AwardState state, Func<FundingLevel, Money> paidNet)
    {
        Determined(state, "cancel it");
        ArgumentNullException.ThrowIfNull(paidNet);
        var unpaid = state.Funding.Select(f => f with { Amount = f.Amount - paidNet(f.Level) }).ToList();
        var paid = state.Funding.Aggregate(Money.Zero, (sum, f) => sum + paidNet(f.Level));
        ArgumentOutOfRangeException.ThrowIfLessThan(paid, Money.Zero);
        var reason = Require.Text(command.Reason, "award.field-required", "reason");
        var actor = Require.Text(command.Actor, "award.field-required", "actor");
        if (paid > state.Amount)
        {
            throw new DomainException(
                "award.paid-exceeds-amount",
                $"paid: {paid} is more than award {state.Id} itself ({state.Amount}); the disbursements need correcting before the award can be cancelled.");
        }
        return new AwardCancelled(state.Id, reason, paid, state.Amount - paid, unpaid, actor, command.At);
    }

    public static AwardState Evolve(AwardState state, IAwardEvent @event)
    {
        var next = @event switch
        {
            AwardDetermined e => state with
            {
                Id = e.AwardId,
                DesignationId = e.DesignationId,
                EnterpriseId = e.EnterpriseId,
                CountyCode = e.CountyCode,
                PolicyId = e.PolicyId,
                PolicyVersion = e.PolicyVersion,
                Rule = e.Rule,
                TriggerDate = e.TriggerDate,
                DeterminationDate = e.DeterminationDate,
                Amount = e.Amount,
                Funding = e.Funding,
                Status = AwardStatus.Determined,
            },
            AwardRedetermined e => state with { Amount = e.NewAmount, Funding = e.Funding },
            AwardCancelled => state with { Status = AwardStatus.Cancelled },
            _ => throw new ArgumentException($"Not an award event: {@event.GetType().Name}", nameof(@event)),
        };
        return next with { StreamVersion = state.StreamVersion + 1 };
    }

    private static AwardRule Determined(AwardState state, string attempted) => state switch
    {
        { Status: AwardStatus.Determined, Rule: { } rule } => rule,
        { Status: AwardStatus.Cancelled } => throw new DomainException(
            "award.illegal-transition",
            $"Award {state.Id} is cancelled: cannot {attempted}. Allowed next: nothing; a paid part is recovered by a clawback."),
        _ => throw new DomainException(
            "award.illegal-transition",
            $"Award {state.Id} has not been determined: cannot {attempted}. Allowed next: determine it from a recognition or renewal."),
    };
}
