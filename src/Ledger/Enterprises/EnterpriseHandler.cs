using Ledger.EventStore;
using Ledger.Reference;

namespace Ledger.Enterprises;

/// <summary>Loads an enterprise's stream, decides, appends. The stream id is derived from the USCC.</summary>
public sealed class EnterpriseHandler(CommandRunner runner, ReferenceData reference)
{
    public const string StreamType = "enterprise";

    public async Task<Guid> RegisterAsync(RegisterEnterprise command, CommandContext context, CancellationToken cancellationToken = default)
    {
        var uscc = Uscc.Parse(command.Uscc);
        var id = Enterprise.StreamIdFor(uscc);
        async Task<IReadOnlyList<StreamAppend>> Decide(CancellationToken ct)
        {
            var current = await LoadAsync(id, null, ct);
            var events = EnterpriseDecider.Decide(command, current.State, reference);
            var county = ((EnterpriseRegistered)events[0]).CountyCode;
            return [new StreamAppend(id, StreamType, current.Version, county, events)];
        }
        try
        {
            await runner.RunAsync(context, command with { RegisteredAt = default }, Decide, cancellationToken: cancellationToken);
        }
        catch (ConcurrencyException)
        {
            // Registered by someone else meanwhile: deciding again names the existing enterprise.
            await Decide(cancellationToken);
            throw;
        }
        return id;
    }

    public async Task CorrectAsync(CorrectEnterpriseDetails command, CommandContext context, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(context, command with { CorrectedAt = default }, async ct =>
        {
            var current = await LoadAsync(command.EnterpriseId, null, ct);
            var state = current.State ?? throw new DomainException("enterprise.not-found", $"enterpriseId: no enterprise {command.EnterpriseId} is registered.");
            return [new StreamAppend(state.Id, StreamType, current.Version, state.CountyCode, EnterpriseDecider.Decide(command, state, reference))];
        }, command.Reason, cancellationToken);

    public Task<Aggregated<Enterprise?>> LoadAsync(Guid enterpriseId, ReadLimit? limit = null, CancellationToken cancellationToken = default) =>
        runner.Store.AggregateStreamAsync<Enterprise?>(enterpriseId, null, Enterprise.Fold, limit, cancellationToken);

    public async Task<Enterprise?> FindAsync(string uscc, CancellationToken cancellationToken = default) =>
        (await LoadAsync(Enterprise.StreamIdFor(Uscc.Parse(uscc)), null, cancellationToken)).State;
}
