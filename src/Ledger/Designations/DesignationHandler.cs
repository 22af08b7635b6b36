using Ledger.Awards;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Reference;
using NodaTime;
using Npgsql;

namespace Ledger.Designations;

/// <summary>
/// The designation lifecycle. A recognition or a passed renewal determines its awards in the same
/// transaction (免申即享); a revocation cancels the unpaid part of the designation's awards.
/// </summary>
public sealed class DesignationHandler(CommandRunner runner, ReferenceData reference, EnterpriseHandler enterprises, AwardHandler awards)
{
    public const string StreamType = "designation";

    private EventStore.EventStore Store => runner.Store;

    public async Task<Guid> SubmitAsync(SubmitDeclaration command, CommandContext context, CancellationToken cancellationToken = default)
    {
        var result = await runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var enterprise = await EnterpriseAsync(command.EnterpriseId, ct);
            // The enterprise's own USCC, and the county it was in on the declaration date, whatever the command carried.
            var declared = DesignationDecider.Decide(
                command with { Uscc = enterprise.Uscc, CountyCode = enterprise.CountyOn(command.DeclaredOn) },
                await EnterpriseDesignationsAsync(command.EnterpriseId, ct), reference);
            return [new StreamAppend(declared.DesignationId, StreamType, ExpectedVersion.NoStream, declared.CountyCode, [declared])];
        }, cancellationToken: cancellationToken);
        return result!.Streams[0].StreamId;
    }

    public Task ReviewAsync(ReviewDeclaration command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var current = await LoadExistingAsync(command.DesignationId, ct);
            return [Append(current, DesignationDecider.Decide(command, current.State, reference))];
        }, cancellationToken: cancellationToken);

    /// <summary>Records the recognition and determines the awards every covering policy owes for it.</summary>
    public async Task<Guid> RecognizeAsync(RecognizeDesignation command, CommandContext context, CancellationToken cancellationToken = default)
    {
        var followUps = new List<object>();
        var result = await runner.RunAsync(context, command with { At = default }, async ct =>
        {
            // The enterprise's stream with its moves: the recognition belongs to the county of its own date.
            var enterprise = await EnterpriseAsync(command.EnterpriseId, ct);
            var designations = await EnterpriseDesignationStreamsAsync(command.EnterpriseId, ct);
            var recognized = DesignationDecider.Decide(command, enterprise, [.. designations.Select(d => d.State)], reference);
            // Appended at the version the decision read: a recognition committed meanwhile makes this one a conflict.
            var version = designations.FirstOrDefault(d => d.State.Id == recognized.DesignationId)?.Version ?? ExpectedVersion.NoStream;
            // A policy issued while this commits is invisible to both: the catch-up after the commit closes that gap.
            followUps.Add(new CatchUpDesignation(recognized.DesignationId));
            return [
                new StreamAppend(recognized.DesignationId, StreamType, version, recognized.CountyCode, [recognized]),
                .. await awards.DetermineAsync(AwardTriggerFact.Recognition(recognized), command.Actor, command.At, ct),
            ];
        }, cancellationToken: cancellationToken, followUps: followUps);
        return result!.Streams[0].StreamId;
    }

    /// <summary>Imports a passed renewal whose base the ledger does not hold, and determines its renewal awards.</summary>
    public async Task<Guid> ImportRenewalAsync(ImportRenewalWithoutBase command, CommandContext context, CancellationToken cancellationToken = default)
    {
        var followUps = new List<object>();
        var result = await runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var enterprise = await EnterpriseAsync(command.EnterpriseId, ct);
            var designations = await EnterpriseDesignationStreamsAsync(command.EnterpriseId, ct);
            var imported = DesignationDecider.Decide(command, enterprise, [.. designations.Select(d => d.State)], reference);
            followUps.Add(new CatchUpDesignation(imported.DesignationId));
            return [
                new StreamAppend(imported.DesignationId, StreamType, ExpectedVersion.NoStream, imported.CountyCode, [imported]),
                .. await awards.DetermineAsync(AwardTriggerFact.Renewal(imported), command.Actor, command.At, ct),
            ];
        }, cancellationToken: cancellationToken, followUps: followUps);
        return result!.Streams[0].StreamId;
    }

    /// <summary>Records a renewal review; a pass determines the renewal awards of every covering policy.</summary>
    public Task RenewAsync(ReviewRenewal command, CommandContext context, CancellationToken cancellationToken = default)
    {
        var followUps = new List<object>();
        return runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var current = await LoadExistingAsync(command.DesignationId, ct);
            var state = current.State;
            var laterRound = await Store.StreamVersionAsync(DesignationDecider.StreamId(state.EnterpriseId, state.Tier, state.Round + 1), ct) > 0;
            // The enterprise's stream with its moves: the review carries the county of its decision date (docs/rules.md).
            var enterprise = await EnterpriseAsync(state.EnterpriseId, ct);
            var reviewed = DesignationDecider.Decide(command, state, laterRound, enterprise, reference);
            List<StreamAppend> appends = [Append(current, reviewed)];
            if (reviewed.Outcome == RenewalOutcome.Passed)
            {
                followUps.Add(new CatchUpDesignation(state.Id));
                appends.AddRange(await awards.DetermineAsync(AwardTriggerFact.Renewal(state, reviewed), command.Actor, command.At, ct));
            }
            return appends;
        }, cancellationToken: cancellationToken, followUps: followUps);
    }

    /// <summary>
    /// Revokes the designation and, in the same transaction, cancels the open disbursements of every award it
    /// earned (releasing their reservations), cancels the unpaid part of the awards, and demands back what was
    /// paid when the revocation says so.
    /// </summary>
    public Task RevokeAsync(RevokeDesignation command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var current = await LoadExistingAsync(command.DesignationId, ct);
            var revoked = DesignationDecider.Decide(command, current.State);
            var decisions = new List<(AwardAccount, Decision)>();
            foreach (var account in await awards.AccountsAsync("designation_id = $1", ct, command.DesignationId))
            {
                decisions.Add((account, AwardAccountDecider.Revoke(account, revoked, command.Actor, command.At)));
            }
            return [Append(current, revoked), .. DecisionStreams.Appends(decisions)];
        }, command.Reason, cancellationToken);

    /// <summary>The expiry run: every recognized designation whose valid-to lies before <paramref name="asOf"/> expires, in one transaction.</summary>
    public async Task<int> ExpireAsync(ExpireDesignations command, CommandContext context, CancellationToken cancellationToken = default)
    {
        var asOf = command.AsOf;
        var result = await runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var appends = new List<StreamAppend>();
            foreach (var id in await IdsAsync("SELECT designation_id FROM designations WHERE status = 'recognized' AND valid_to < $1 ORDER BY designation_id", ct, asOf.ToDateOnly()))
            {
                var current = await LoadAsync(id, null, ct);
                if (DesignationDecider.Expire(current.State, asOf, context.Actor, context.Now) is { } expired)
                {
                    appends.Add(Append(current, expired));
                }
            }
            return appends;
        }, cancellationToken: cancellationToken);
        return result?.Streams.Count ?? 0;
    }

    public Task<Aggregated<DesignationState>> LoadAsync(Guid designationId, ReadLimit? limit = null, CancellationToken cancellationToken = default) =>
        Store.AggregateStreamAsync(designationId, DesignationState.Initial, Evolve, limit, cancellationToken);

    /// <summary>The designation's stream as a fold to read together with others (<see cref="EventStore.EventStore.AggregateStreamsAsync"/>).</summary>
    public static StreamFold<DesignationState> Fold(Guid designationId) => new(designationId, DesignationState.Initial, Evolve);

    private static DesignationState Evolve(DesignationState state, object e) => DesignationDecider.Evolve(state, (IDesignationEvent)e);

    public async Task<IReadOnlyList<DesignationState>> EnterpriseDesignationsAsync(Guid enterpriseId, CancellationToken cancellationToken = default) =>
        [.. (await EnterpriseDesignationStreamsAsync(enterpriseId, cancellationToken)).Select(d => d.State)];

    private async Task<IReadOnlyList<Aggregated<DesignationState>>> EnterpriseDesignationStreamsAsync(Guid enterpriseId, CancellationToken cancellationToken)
    {
        var streams = new List<Aggregated<DesignationState>>();
        foreach (var id in await IdsAsync("SELECT designation_id FROM designations WHERE enterprise_id = $1 ORDER BY tier, round", cancellationToken, enterpriseId))
        {
            streams.Add(await LoadAsync(id, null, cancellationToken));
        }
        return streams;
    }

    private async Task<Aggregated<DesignationState>> LoadExistingAsync(Guid designationId, CancellationToken cancellationToken)
    {
        var current = await LoadAsync(designationId, null, cancellationToken);
        return current.Version == 0
            ? throw new DomainException("designation.not-found", $"designationId: no designation {designationId} exists.")
            : current;
    }

    private async Task<Enterprise> EnterpriseAsync(Guid enterpriseId, CancellationToken cancellationToken) =>
        (await enterprises.LoadAsync(enterpriseId, null, cancellationToken)).State
        ?? throw new DomainException("enterprise.not-found", $"enterpriseId: no enterprise {enterpriseId} is registered; register it first.");

    private static StreamAppend Append(Aggregated<DesignationState> current, object @event) =>
        new(current.State.Id, StreamType, current.Version, current.State.CountyCode, [@event]);

    private Task<IReadOnlyList<Guid>> IdsAsync(string sql, CancellationToken cancellationToken, params object[] parameters) =>
        Sql.IdsAsync(Store.DataSource, sql, cancellationToken, parameters);
}

/// <summary>The expiry run: every recognized designation whose valid-to lies before <see cref="AsOf"/> expires, in one transaction.</summary>
public sealed record ExpireDesignations(LocalDate AsOf, string Actor, Instant At) : ILedgerCommand<int>
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}
