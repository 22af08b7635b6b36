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

    /// <summary>Records a move from the business registry; facts already recorded on or after its date need an override.</summary>
    public async Task RelocateAsync(RelocateEnterprise command, CommandContext context, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var current = await LoadAsync(command.EnterpriseId, null, ct);
            var state = current.State ?? throw new DomainException("enterprise.not-found", $"enterpriseId: no enterprise {command.EnterpriseId} is registered.");
            var facts = await RecordedFactsAsync(state.Id, ct);
            var events = EnterpriseDecider.Decide(command, state, facts, reference);
            // The header names the county the stream belongs to from now on.
            return [new StreamAppend(state.Id, StreamType, current.Version, ((EnterpriseRelocated)events[0]).ToCountyCode, events)];
        }, command.Override?.Reason, cancellationToken);

    /// <summary>
    /// The enterprise's dated facts the ledger holds, with the county each was recorded in, read from the events of its
    /// designation and award streams (found through the read tables) by their stored names. Events recorded before
    /// renewals and payments carried a county fall back to their stream's county header.
    /// </summary>
    private async Task<IReadOnlyList<RecordedFact>> RecordedFactsAsync(Guid enterpriseId, CancellationToken cancellationToken)
    {
        await using var command = runner.Store.DataSource.CreateCommand(
            "SELECT CASE e.type WHEN 'declaration-submitted' THEN 'declaration' WHEN 'designation-recognized' THEN 'recognition' " +
            "WHEN 'renewal-reviewed' THEN 'renewal' ELSE 'payment' END, e.stream_id, " +
            "coalesce(e.data->>'declaredOn', e.data->>'recognizedOn', e.data->>'decidedOn', e.data->>'valueDate'), " +
            "coalesce(e.data->>'countyCode', e.headers->>'county') " +
            "FROM mt_events e WHERE e.stream_id IN (SELECT designation_id FROM designations WHERE enterprise_id = $1 " +
            "UNION SELECT award_id FROM awards WHERE enterprise_id = $1) " +
            "AND e.type IN ('declaration-submitted', 'designation-recognized', 'renewal-reviewed', 'disbursement-paid') ORDER BY e.seq_id");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = enterpriseId });
        var facts = new List<RecordedFact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(new RecordedFact(
                reader.GetString(0), reader.GetGuid(1), NodaTime.Text.LocalDatePattern.Iso.Parse(reader.GetString(2)).Value,
                reader.IsDBNull(3) ? "" : reader.GetString(3)));
        }
        return facts;
    }

    public Task<Aggregated<Enterprise?>> LoadAsync(Guid enterpriseId, ReadLimit? limit = null, CancellationToken cancellationToken = default) =>
        runner.Store.AggregateStreamAsync<Enterprise?>(enterpriseId, null, Enterprise.Fold, limit, cancellationToken);

    /// <summary>The enterprise's stream as a fold to read together with others (<see cref="EventStore.EventStore.AggregateStreamsAsync"/>).</summary>
    public static StreamFold<Enterprise?> Fold(Guid enterpriseId) => new(enterpriseId, null, Enterprise.Fold);

    public async Task<Enterprise?> FindAsync(string uscc, CancellationToken cancellationToken = default) =>
        (await LoadAsync(Enterprise.StreamIdFor(Uscc.Parse(uscc)), null, cancellationToken)).State;
}
