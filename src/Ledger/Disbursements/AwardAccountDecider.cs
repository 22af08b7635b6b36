using System.Globalization;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using NodaTime;

namespace Ledger.Disbursements;

/// <summary>
/// Award commands decided against the whole award account, now that the award stream also carries its disbursements:
/// cancelling and re-determining look at what is requested and paid, and a revocation settles everything at once.
/// </summary>
public static class AwardAccountDecider
{
    /// <summary>
    /// Cancels the award: every open disbursement is cancelled first (reservations released), then
    /// <see cref="AwardCancelled"/> with what stays paid. Award stream + each released reservation's line.
    /// </summary>
    public static Decision Decide(CancelAward command, AwardAccount account)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(account);
        var cancelled = AwardDecider.Decide(command, account.Award, account.PaidNet);
        return DisbursementDecider.CancelOpen(account, command.Reason, ReleaseReason.Cancelled, command.Actor, command.At)
            .And(Decision.Of(cancelled));
    }

    /// <summary>
    /// Lowers an up-to award (<see cref="AwardDecider"/> rules), and refuses when a funding level would end up with less
    /// than is already requested, approved or paid from it: the shares are re-split, and a share below its commitments
    /// would break "never more than the award" per source. Award stream only.
    /// </summary>
    public static Decision Decide(RedetermineAward command, AwardAccount account)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(account);
        var redetermined = AwardDecider.Decide(command, account.Award, account.PaidNetTotal);
        foreach (var share in redetermined.Funding)
        {
            var committed = account.Committed(share.Level);
            if (committed > share.Amount)
            {
                throw new DomainException(
                    "award.below-committed",
                    $"newAmount: {command.NewAmount} would cut the {BudgetLineKey.LevelName(share.Level)} share of award {account.Award.Id} to {share.Amount}, below the {committed} requested, approved or paid from it; cancel or reject open requests first, or demand a clawback.");
            }
        }
        return Decision.Of(redetermined);
    }

    /// <summary>
    /// What the revocation of the award's designation means for the award (docs/decisions.md): every open request cancelled and
    /// its reservation released (reason <see cref="ReleaseReason.Revoked"/>), the unpaid part of the award cancelled, and,
    /// when the revocation demands it, a clawback of everything paid. Award stream + each released reservation's line.
    /// An award already cancelled only gets what is still missing.
    /// </summary>
    public static Decision Revoke(AwardAccount account, DesignationRevoked revoked, string actor, Instant at)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(revoked);
        if (account.Award.Status == AwardStatus.None)
        {
            return Decision.Nothing;
        }
        if (revoked.DesignationId != account.Award.DesignationId)
        {
            throw new ArgumentException($"Designation {revoked.DesignationId} was revoked, but award {account.Award.Id} belongs to designation {account.Award.DesignationId}.", nameof(revoked));
        }
        var reason = string.Create(
            CultureInfo.InvariantCulture, $"designation revoked on {revoked.RevokedOn:uuuu-MM-dd}: {revoked.Reason}");
        var decision = DisbursementDecider.CancelOpen(account, reason, ReleaseReason.Revoked, actor, at);
        if (account.Award.Status == AwardStatus.Determined)
        {
            decision = decision.And(Decision.Of(AwardDecider.Decide(new CancelAward(account.Award.Id, reason, actor, at), account.Award, account.PaidNet)));
        }
        if (revoked.ClawbackDemanded)
        {
            // Open requests were never paid, so cancelling them changes nothing that a clawback looks at.
            decision = decision.And(ClawbackDecider.DemandAll(account, reason, actor, at));
        }
        return decision;
    }
}
