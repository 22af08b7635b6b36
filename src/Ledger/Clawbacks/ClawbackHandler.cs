using Ledger.Awards;
using Ledger.Disbursements;

namespace Ledger.Clawbacks;

/// <summary>Clawbacks (追回) on an award's account: demanded up to what was paid net of earlier clawbacks, repaid until settled.</summary>
public sealed class ClawbackHandler(CommandRunner runner, AwardHandler awards)
{
    public Task DemandAsync(DemandClawback command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var account = (await awards.LoadAsync(command.AwardId, null, ct)).State;
            return DecisionStreams.Appends(account, ClawbackDecider.Decide(command, account));
        }, command.Reason, cancellationToken);

    /// <summary>A repayment credits the budget line of the clawback's division and level in the repayment's year.</summary>
    public Task RepayAsync(RecordClawbackRepayment command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var account = (await awards.LoadAsync(command.AwardId, null, ct)).State;
            return DecisionStreams.Appends(account, ClawbackDecider.Decide(command, account));
        }, cancellationToken: cancellationToken);
}
