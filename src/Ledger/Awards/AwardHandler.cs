using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;
using Npgsql;

namespace Ledger.Awards;

/// <summary>
/// Automatic determination (免申即享) and the award commands. A recognition or passed renewal finds every
/// policy whose issuer contains the enterprise's county and determines what each owes; a policy issued or
/// amended later catches up on the facts it covers. The caller appends the returned award streams in the
/// same transaction as the fact or the policy event, so nothing is half-written.
/// </summary>
public sealed class AwardHandler(CommandRunner runner, ReferenceData reference)
{
    public const string StreamType = "award";

    public const string StackStreamType = "award-stack";

    private EventStore.EventStore Store => runner.Store;

    /// <summary>New award streams for one fact, across every covering policy.</summary>
    public async Task<IReadOnlyList<StreamAppend>> DetermineAsync(AwardTriggerFact fact, string actor, NodaTime.Instant at, CancellationToken cancellationToken)
    {
        var appends = new List<StreamAppend>();
        foreach (var policy in await CoveringPoliciesAsync(fact.CountyCode, cancellationToken))
        {
            // The stack's version is read before the awards it stands for, so a determination committed in between shows as a conflict.
            var stacks = await StackVersionsAsync(policy.Id, [fact.EnterpriseId], cancellationToken);
            var existing = await AwardsAsync("policy_id = $1 AND enterprise_id = $2", cancellationToken, policy.Id, fact.EnterpriseId);
            if (AwardCalculator.Determine(fact, policy, existing, reference, actor, at) is { } award)
            {
                appends.Add(NewAward(award));
                appends.AddRange(Stack(policy, [award], stacks, at));
            }
        }
        return appends;
    }

    /// <summary>
    /// The catch-up after a policy committed: whatever the policy owes for facts that committed while it did (and so
    /// were invisible to it). Idempotent: awards already determined are found, not determined again.
    /// </summary>
    public Task CatchUpAsync(CatchUpPolicy message, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, message, async ct =>
        {
            var policy = (await PolicyHandler.LoadAsync(Store, message.PolicyId, null, ct)).State;
            return await CatchUpAsync(policy, context.Actor, context.Now, ct);
        }, cancellationToken: cancellationToken);

    /// <summary>
    /// The catch-up after a recognition or renewal committed: what covering policies issued meanwhile owe for it. Each of
    /// the designation's facts is looked at under the policies covering its own county, so a renewal after a move goes to
    /// the policies of the county the enterprise moved to, as the immediate determination did.
    /// </summary>
    public Task CatchUpAsync(CatchUpDesignation message, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, message, async ct =>
        {
            var appends = new List<StreamAppend>();
            var policies = new Dictionary<Guid, AwardPolicyState>();
            foreach (var county in (await TriggerFactsAsync(message.DesignationId, ct)).Select(f => f.CountyCode).Distinct())
            {
                foreach (var policy in await CoveringPoliciesAsync(county, ct))
                {
                    policies.TryAdd(policy.Id, policy);
                }
            }
            foreach (var policy in policies.Values.OrderBy(p => p.Id))
            {
                appends.AddRange(await CatchUpAsync(policy, context.Actor, context.Now, ct, message.DesignationId));
            }
            return appends;
        }, cancellationToken: cancellationToken);

    /// <summary>The recognition and passed renewals of a designation that has not been revoked, each with the county it records.</summary>
    public Task<IReadOnlyList<AwardTriggerFact>> TriggerFactsAsync(Guid designationId, CancellationToken cancellationToken = default) =>
        TriggerFactsAsync(null, designationId, cancellationToken);

    /// <summary>New award streams a policy owes for facts in its jurisdiction (or of one designation) that have none under it yet.</summary>
    public async Task<IReadOnlyList<StreamAppend>> CatchUpAsync(AwardPolicyState policy, string actor, NodaTime.Instant at, CancellationToken cancellationToken, Guid? designationId = null)
    {
        var counties = reference.Subtree(policy.IssuerCode).ToArray();
        var facts = await TriggerFactsAsync(counties, designationId, cancellationToken);
        var stacks = await StackVersionsAsync(policy.Id, [.. facts.Select(f => f.EnterpriseId).Distinct()], cancellationToken);
        var existing = designationId is not null
            ? await AwardsAsync("policy_id = $1 AND enterprise_id = ANY($2)", cancellationToken, policy.Id, facts.Select(f => f.EnterpriseId).Distinct().ToArray())
            : await AwardsAsync("policy_id = $1", cancellationToken, policy.Id);
        var awards = AwardCalculator.CatchUp(policy, facts, existing, reference, actor, at);
        return [.. awards.Select(NewAward), .. Stack(policy, awards, stacks, at)];
    }

    /// <summary>
    /// The facts awards are determined on, each with the county the fact itself records: a recognition's county (which
    /// <c>award_triggers</c> holds as recorded), and for a renewal the county its <c>renewal-reviewed</c> event carries —
    /// the enterprise's on the decision date — rather than the designation's county that <c>award_triggers</c> copies onto
    /// renewals. Renewals recorded before they carried a county fall back to that copy. A revoked designation earned
    /// nothing a later policy should pay. <paramref name="counties"/> null: every county.
    /// </summary>
    private async Task<IReadOnlyList<AwardTriggerFact>> TriggerFactsAsync(string[]? counties, Guid? designationId, CancellationToken cancellationToken)
    {
        var facts = new List<AwardTriggerFact>();
        await using var command = Store.DataSource.CreateCommand(
            "SELECT designation_id, enterprise_id, county_code, tier, trigger, trigger_date FROM (" +
            "SELECT t.designation_id, t.enterprise_id, coalesce(r.county_code, t.county_code) AS county_code, t.tier, t.trigger, t.trigger_date " +
            "FROM award_triggers t JOIN designations d ON d.designation_id = t.designation_id " +
            "LEFT JOIN LATERAL (SELECT e.data->>'countyCode' AS county_code FROM mt_events e WHERE e.stream_id = t.designation_id " +
            "AND e.type = 'renewal-reviewed' AND e.data->>'outcome' = 'passed' AND e.data->>'decidedOn' = to_char(t.trigger_date, 'YYYY-MM-DD') " +
            "ORDER BY e.version DESC LIMIT 1) r ON t.trigger = $3 " +
            "WHERE d.status <> 'revoked' AND ($2::uuid IS NULL OR t.designation_id = $2)) f " +
            "WHERE $1::text[] IS NULL OR f.county_code = ANY($1) ORDER BY trigger_date, designation_id, trigger");
        command.Parameters.Add(new NpgsqlParameter { Value = counties is null ? DBNull.Value : counties, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = designationId is { } id ? id : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = StoredName.Of(AwardTrigger.Renewal) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(new AwardTriggerFact(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4) == StoredName.Of(AwardTrigger.Renewal) ? AwardTrigger.Renewal : AwardTrigger.Recognition,
                Sql.ToLocalDate(reader.GetFieldValue<DateOnly>(5))));
        }
        return facts;
    }

    /// <summary>
    /// The stack entries of highest-only recognition awards, one append per (policy, enterprise) stack at the version
    /// read before deciding: concurrent determinations for one enterprise under one policy cannot both pass.
    /// </summary>
    private static IEnumerable<StreamAppend> Stack(AwardPolicyState policy, IReadOnlyList<AwardDetermined> awards, IReadOnlyDictionary<Guid, long> versions, NodaTime.Instant at) =>
        awards
            .Where(a => a.Rule.Trigger == AwardTrigger.Recognition && policy.Version(a.PolicyVersion).Terms.Stacking == Stacking.HighestOnly)
            .GroupBy(a => AwardStacked.StreamId(a.PolicyId, a.EnterpriseId))
            .Select(g => new StreamAppend(g.Key, StackStreamType, versions.GetValueOrDefault(g.Key), g.First().CountyCode,
                [.. g.Select(a => (object)new AwardStacked(a.PolicyId, a.EnterpriseId, a.AwardId, a.Rule.Tier, a.Amount, at))], RetryOnConflict: true));

    private async Task<IReadOnlyDictionary<Guid, long>> StackVersionsAsync(Guid policyId, IReadOnlyList<Guid> enterprises, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<Guid, long>();
        await using var command = Store.DataSource.CreateCommand("SELECT id, version FROM mt_streams WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = enterprises.Select(e => AwardStacked.StreamId(policyId, e)).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions[reader.GetGuid(0)] = reader.GetInt64(1);
        }
        return versions;
    }

    /// <summary>Lowers an up-to award, with a reason; never higher, never below what was paid.</summary>
    public Task RedetermineAsync(RedetermineAward command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var account = (await LoadAsync(command.AwardId, null, ct)).State;
            Found(account.Award, command.AwardId);
            return DecisionStreams.Appends(account, AwardAccountDecider.Decide(command, account));
        }, command.Reason, cancellationToken);

    /// <summary>The award stream folded: the award, its disbursements and its clawbacks.</summary>
    public Task<Aggregated<AwardAccount>> LoadAsync(Guid awardId, ReadLimit? limit = null, CancellationToken cancellationToken = default) =>
        Store.AggregateStreamAsync(awardId, AwardAccount.Initial, AwardAccount.Fold, limit, cancellationToken);

    /// <summary>The award's stream as a fold to read together with others (<see cref="EventStore.EventStore.AggregateStreamsAsync"/>).</summary>
    public static StreamFold<AwardAccount> Fold(Guid awardId) => new(awardId, AwardAccount.Initial, AwardAccount.Fold);

    /// <summary>The awards matching a filter on the <c>awards</c> table, each folded from its stream.</summary>
    public async Task<IReadOnlyList<AwardState>> AwardsAsync(string where, CancellationToken cancellationToken, params object[] parameters) =>
        [.. (await AccountsAsync(where, cancellationToken, parameters)).Select(a => a.Award)];

    /// <summary>The accounts (award, disbursements, clawbacks) of the awards matching a filter on the <c>awards</c> table.</summary>
    public async Task<IReadOnlyList<AwardAccount>> AccountsAsync(string where, CancellationToken cancellationToken, params object[] parameters)
    {
        var ids = await Sql.IdsAsync(Store.DataSource, $"SELECT award_id FROM awards WHERE {where} ORDER BY trigger_date, award_id", cancellationToken, parameters);
        var accounts = new List<AwardAccount>(ids.Count);
        foreach (var id in ids)
        {
            accounts.Add((await LoadAsync(id, null, cancellationToken)).State);
        }
        return accounts;
    }

    private async Task<IReadOnlyList<AwardPolicyState>> CoveringPoliciesAsync(string countyCode, CancellationToken cancellationToken)
    {
        var issuers = new List<string>();
        for (var d = reference.FindDivision(countyCode); d is not null; d = d.ParentCode is null ? null : reference.FindDivision(d.ParentCode))
        {
            issuers.Add(d.Code);
        }
        var ids = await Sql.IdsAsync(Store.DataSource, "SELECT policy_id FROM policies WHERE issuer_code = ANY($1) ORDER BY policy_id", cancellationToken, (object)issuers.ToArray());
        var policies = new List<AwardPolicyState>(ids.Count);
        foreach (var id in ids)
        {
            policies.Add((await PolicyHandler.LoadAsync(Store, id, null, cancellationToken)).State);
        }
        return policies;
    }

    // An award is never the stream a command aims at: if another transaction determined it first, deciding again finds it.
    private static StreamAppend NewAward(AwardDetermined award) =>
        new(award.AwardId, StreamType, ExpectedVersion.NoStream, award.CountyCode, [award], RetryOnConflict: true);

    private static AwardState Found(AwardState award, Guid awardId) =>
        award.Status == AwardStatus.None
            ? throw new DomainException("award.not-found", $"awardId: no award {awardId} has been determined.")
            : award;
}
