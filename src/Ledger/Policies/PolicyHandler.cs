using Ledger.Awards;
using Ledger.EventStore;
using Ledger.Reference;

namespace Ledger.Policies;

/// <summary>Issues, amends and retires award policies. Issuing or amending determines, in the same transaction, the awards the policy owes for facts already recorded.</summary>
public sealed class PolicyHandler(CommandRunner runner, ReferenceData reference, AwardHandler awards)
{
    public const string StreamType = "award-policy";

    public async Task<Guid> IssueAsync(IssueAwardPolicy command, CommandContext context, CancellationToken cancellationToken = default)
    {
        // A recognition committing while this does is invisible to both: the catch-up after the commit closes that gap.
        await runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var current = await LoadAsync(runner.Store, command.PolicyId, null, ct);
            var issued = AwardPolicyDecider.Decide(command, current.State, reference);
            var policy = AwardPolicyDecider.Evolve(current.State, issued);
            return [
                new StreamAppend(issued.PolicyId, StreamType, current.Version, issued.IssuerCode, [issued]),
                .. await awards.CatchUpAsync(policy, command.Actor, command.At, ct),
            ];
        }, cancellationToken: cancellationToken, followUps: [new CatchUpPolicy(command.PolicyId)]);
        return command.PolicyId;
    }

    public Task AmendAsync(AmendAwardPolicy command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var current = await LoadAsync(runner.Store, command.PolicyId, null, ct);
            var amended = AwardPolicyDecider.Decide(command, current.State, reference);
            var policy = AwardPolicyDecider.Evolve(current.State, amended);
            return [
                new StreamAppend(policy.Id, StreamType, current.Version, policy.IssuerCode, [amended]),
                .. await awards.CatchUpAsync(policy, command.Actor, command.At, ct),
            ];
        }, command.Reason, cancellationToken, [new CatchUpPolicy(command.PolicyId)]);

    public Task RetireAsync(RetireAwardPolicy command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var current = await LoadAsync(runner.Store, command.PolicyId, null, ct);
            return [new StreamAppend(command.PolicyId, StreamType, current.Version, current.State.IssuerCode, [AwardPolicyDecider.Decide(command, current.State)])];
        }, command.Reason, cancellationToken);

    public static Task<Aggregated<AwardPolicyState>> LoadAsync(EventStore.EventStore store, Guid policyId, ReadLimit? limit, CancellationToken cancellationToken) =>
        store.AggregateStreamAsync(policyId, AwardPolicyState.Initial, Evolve, limit, cancellationToken);

    /// <summary>The policy's stream as a fold to read together with others (<see cref="EventStore.EventStore.AggregateStreamsAsync"/>).</summary>
    public static StreamFold<AwardPolicyState> Fold(Guid policyId) => new(policyId, AwardPolicyState.Initial, Evolve);

    private static AwardPolicyState Evolve(AwardPolicyState state, object e) => AwardPolicyDecider.Evolve(state, (IAwardPolicyEvent)e);
}
