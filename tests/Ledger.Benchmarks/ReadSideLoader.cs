using System.Diagnostics;
using System.Globalization;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Reference;
using Marten;
using NodaTime;

namespace Ledger.Benchmarks;

/// <summary>The load's outcome: events appended, how long it took, and an instant between its two halves.</summary>
public sealed record LoadResult(long Events, long Transactions, TimeSpan Elapsed, Instant Midpoint)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}

/// <summary>
/// A ledger of SRDI awards big enough to read: every county-level division of the reference data, fiscal years
/// 2021–2025, six tiers, policies of both provinces (highest-only), every city (city 50 % / county 50 %, up-to amounts)
/// and every fourth county (county 100 %). Each enterprise is registered, recognised once, and earns the awards
/// <see cref="AwardCalculator.Determine"/> gives it under the policies covering its county; every share is requested,
/// approved (two approvers from 500,000 元), reserved on its budget line and paid; a few awards are re-determined lower
/// first, a few payments come back from the bank and a few are clawed back and repaid.
/// <para>
/// Events are appended straight through Marten sessions of the ledger's own store (<see cref="EventStore.EventStore.Stage"/>:
/// the same metadata and headers as a command), so the inline projections fill every read table and the chain trigger
/// links every event as in production; the deciders are skipped, the expected versions are tracked here. The plans are
/// in recognition-date order, and an enterprise's four stages (recognition and awards; request, approval and reservation;
/// payment; return or clawback) go into four consecutive transactions, so the log interleaves enterprises as a running
/// ledger does.
/// </para>
/// </summary>
public sealed partial class ReadSideLoader
{
    public static IReadOnlyList<int> Years { get; } = [2021, 2022, 2023, 2024, 2025];

    private const int EventsPerTransaction = 1_000;
    private const int Stages = 4;
    private const double RedeterminedShare = 0.10;
    private const double ReturnedShare = 0.03;
    private const double ClawedBackShare = 0.02;
    private static readonly LocalDate PolicyFrom = new(2020, 1, 1);
    private static readonly string[] BenchmarkProvinces = ["320000", "330000"];

    private static readonly (string Tier, int Weight)[] TierMix =
    [
        ("innovative-sme", 30), ("municipal-srdi", 25), ("provincial-srdi", 30), ("national-little-giant", 10),
        ("provincial-hidden-champion", 4), ("national-single-champion", 1),
    ];

    private static readonly string[] Trades = ["精密机械", "智能装备", "新材料", "电子科技", "医疗器械", "汽车零部件", "光电技术", "环保科技", "软件信息", "纺织新材"];
    private static readonly string[] Industries = ["制造业", "软件和信息技术服务业", "科学研究和技术服务业"];

    private readonly ReferenceData _reference;
    private readonly Random _random;
    private readonly Dictionary<string, List<(AwardPolicyState Policy, Stacking Stacking)>> _covering = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, long> _versions = [];
    private int _serial;
    private int _vouchers;

    /// <summary>Plans about <paramref name="events"/> events (whole enterprises), the same plans for the same seed.</summary>
    public ReadSideLoader(ReferenceData reference, int events, int seed = 20_210_101)
    {
        _reference = reference;
        _random = new Random(seed);
        // Jiangsu's and Zhejiang's current counties, as in the figures published in the README, now that the table holds
        // every province.
        Counties = [.. BenchmarkProvinces.SelectMany(reference.Subtree)
            .Select(code => reference.FindDivision(code)!)
            .Where(d => d.Level == DivisionLevel.County && d.EndedOn is null)
            .Select(d => d.Code)
            .Order(StringComparer.Ordinal)];
        Policies = IssuePolicies();
        foreach (var county in Counties)
        {
            _covering[county] = [.. Policies
                .Where(p => reference.IsWithin(county, p.IssuerCode))
                .Select(p => (AwardPolicyDecider.Evolve(AwardPolicyState.Initial, p), p.Terms.Stacking))];
        }
        var plans = new List<EnterprisePlan>();
        var lines = new HashSet<BudgetLineKey>();
        long planned = Policies.Count;
        while (planned + lines.Count < events)
        {
            var plan = PlanEnterprise();
            plans.Add(plan);
            planned += plan.Events;
            lines.UnionWith(plan.Awards.SelectMany(a => a.Tranches).Select(t => t.Line));
        }
        Enterprises = [.. plans.OrderBy(p => p.RecognizedOn).ThenBy(p => p.Uscc, StringComparer.Ordinal)];
        // Each line gets a quarter more than its awards will reserve on it, rounded up to 10,000 元.
        Appropriations = [.. Enterprises.SelectMany(p => p.Awards).SelectMany(a => a.Tranches)
            .GroupBy(t => t.Line)
            .Select(g => new BudgetAppropriated(BudgetLineKey.StreamId(g.Key), g.Key,
                Money.Of(Math.Ceiling(g.Sum(t => t.Share.Amount.Yuan) * 1.25m / 10_000m) * 10_000m),
                $"finance-{g.Key.DivisionCode}", At(new LocalDate(g.Key.FiscalYear - 1, 12, 20), 9)))
            .OrderBy(a => a.Line.FiscalYear).ThenBy(a => a.Line.DivisionCode, StringComparer.Ordinal).ThenBy(a => a.Line.Level)];
        PlannedEvents = Policies.Count + Appropriations.Count + Enterprises.Sum(p => (long)p.Events);
    }

    public IReadOnlyList<string> Counties { get; }

    public IReadOnlyList<AwardPolicyIssued> Policies { get; }

    public IReadOnlyList<BudgetAppropriated> Appropriations { get; }

    public IReadOnlyList<EnterprisePlan> Enterprises { get; }

    public long PlannedEvents { get; }

    /// <summary>Events per enterprise group, so a transaction holds about <see cref="EventsPerTransaction"/> events.</summary>
    private int GroupSize => Math.Max(1, (int)(EventsPerTransaction * (long)Enterprises.Count / Math.Max(1, Enterprises.Sum(p => (long)p.Events))));

    /// <summary>Appends everything: the policies, the appropriations, then the enterprises in groups of four stages.</summary>
    public async Task<LoadResult> LoadAsync(IDocumentStore store, Action<long, TimeSpan> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long events = 0;
        long transactions = 0;
        Instant? midpoint = null;
        async Task CommitAsync(IDocumentSession session, int appended)
        {
            await session.SaveChangesAsync(cancellationToken);
            transactions++;
            var before = events;
            events += appended;
            if (midpoint is null && events >= PlannedEvents / 2)
            {
                midpoint = SystemClock.Instance.GetCurrentInstant();
            }
            if (events * 10 / PlannedEvents != before * 10 / PlannedEvents)
            {
                progress(events, clock.Elapsed);
            }
        }

        await using (var session = store.LightweightSession())
        {
            foreach (var policy in Policies)
            {
                Command(session, $"admin-{policy.IssuerCode}", "admin", [New(policy.PolicyId, PolicyHandler.StreamType, policy.IssuerCode, policy)]);
            }
            await CommitAsync(session, Policies.Count);
        }
        foreach (var chunk in Appropriations.Chunk(EventsPerTransaction))
        {
            await using var session = store.LightweightSession();
            foreach (var line in chunk)
            {
                Command(session, line.Actor, "clerk", [New(line.BudgetLineId, BudgetHandler.StreamType, line.Line.DivisionCode, line)]);
            }
            await CommitAsync(session, chunk.Length);
        }

        var size = GroupSize;
        var groups = (Enterprises.Count + size - 1) / size;
        for (var batch = 0; batch < groups + Stages - 1; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var session = store.LightweightSession();
            var budget = new BudgetBatch();
            var appended = 0;
            for (var stage = 0; stage < Stages; stage++)
            {
                var group = batch - stage;
                if (group < 0 || group >= groups)
                {
                    continue;
                }
                for (var i = group * size; i < Math.Min(Enterprises.Count, (group + 1) * size); i++)
                {
                    appended += AppendStage(session, Enterprises[i], stage, budget);
                }
            }
            appended += AppendBudget(session, budget);
            await CommitAsync(session, appended);
        }
        if (events != PlannedEvents)
        {
            throw new InvalidOperationException($"the load appended {events:N0} events, the plans hold {PlannedEvents:N0}");
        }
        return new LoadResult(events, transactions, clock.Elapsed, midpoint ?? SystemClock.Instance.GetCurrentInstant());
    }

    private int AppendStage(IDocumentSession session, EnterprisePlan plan, int stage, BudgetBatch budget)
    {
        var clerk = $"clerk-{plan.County}";
        var appends = new List<StreamAppend>();
        switch (stage)
        {
            case 0:
                appends.Add(New(plan.EnterpriseId, EnterpriseHandler.StreamType, plan.County, new EnterpriseRegistered(
                    plan.EnterpriseId, plan.Uscc, plan.Name, plan.County, Industries[plan.Name.Length % Industries.Length], plan.Account, clerk,
                    At(plan.RecognizedOn.PlusDays(-90), 9))));
                appends.Add(New(plan.DesignationId, DesignationHandler.StreamType, plan.County, Recognition(plan, clerk)));
                foreach (var award in plan.Awards)
                {
                    appends.Add(New(award.Determined.AwardId, AwardHandler.StreamType, plan.County, award.Determined));
                }
                foreach (var award in plan.Awards.Where(a => a.Stacked))
                {
                    var d = award.Determined;
                    appends.Add(New(AwardStacked.StreamId(d.PolicyId, d.EnterpriseId), AwardHandler.StackStreamType, plan.County,
                        new AwardStacked(d.PolicyId, d.EnterpriseId, d.AwardId, d.Rule.Tier, d.Amount, d.DeterminedAt)));
                }
                break;
            case 1:
                foreach (var award in plan.Awards)
                {
                    var events = new List<object>();
                    var id = award.Determined.AwardId;
                    if (award.Redetermined)
                    {
                        events.Add(new AwardRedetermined(id, award.Determined.Amount, award.Amount, Money.Zero, award.Funding,
                            "核定后复核：项目实际投入低于申报，按比例核减", $"reviewer-{plan.County}", At(award.Determined.DeterminationDate.PlusDays(10), 15)));
                    }
                    foreach (var tranche in award.Tranches)
                    {
                        events.Add(new DisbursementRequested(id, tranche.DisbursementId, tranche.Share.Amount, tranche.Share.Level,
                            tranche.Share.DivisionCode, tranche.Line.FiscalYear, plan.EnterpriseId, plan.Account, clerk, At(award.RequestedOn, 10)));
                        for (var approval = 1; approval <= award.Approvals; approval++)
                        {
                            var approver = $"approver-{approval}-{plan.County}";
                            var at = At(tranche.ApprovedOn, 9 + approval);
                            var final = approval == award.Approvals;
                            events.Add(new DisbursementApproved(id, tranche.DisbursementId, approver, award.Approvals, final, false, null, [], approver, at));
                            if (final)
                            {
                                budget.Add(tranche.Line, new BudgetReserved(BudgetLineKey.StreamId(tranche.Line), tranche.Line, tranche.DisbursementId, id,
                                    tranche.Share.Amount, approver, at));
                            }
                        }
                    }
                    appends.Add(Existing(id, AwardHandler.StreamType, plan.County, events));
                }
                break;
            case 2:
                foreach (var award in plan.Awards)
                {
                    var id = award.Determined.AwardId;
                    var events = new List<object>();
                    foreach (var tranche in award.Tranches)
                    {
                        var at = At(tranche.ValueDate, 16);
                        events.Add(new DisbursementPaid(id, tranche.DisbursementId, tranche.Share.Amount, tranche.Voucher, tranche.ValueDate, plan.County, null, [],
                            "treasury", at));
                        budget.Add(tranche.Line, new BudgetPaid(BudgetLineKey.StreamId(tranche.Line), tranche.Line, tranche.DisbursementId, id,
                            tranche.Share.Amount, tranche.ValueDate, "treasury", at));
                    }
                    appends.Add(Existing(id, AwardHandler.StreamType, plan.County, events));
                }
                break;
            default:
                foreach (var award in plan.Awards)
                {
                    var id = award.Determined.AwardId;
                    var events = new List<object>();
                    foreach (var tranche in award.Tranches)
                    {
                        if (tranche.ReturnedOn is { } returnedOn)
                        {
                            var at = At(returnedOn, 11);
                            var line = tranche.Line with { FiscalYear = returnedOn.Year };
                            events.Add(new DisbursementReturned(id, tranche.DisbursementId, tranche.Share.Amount, returnedOn, "收款账户已销户，银行退汇", "treasury", at));
                            budget.Add(line, new BudgetReturned(BudgetLineKey.StreamId(line), line, tranche.DisbursementId, id, tranche.Share.Amount, returnedOn, "treasury", at));
                        }
                    }
                    if (award.Clawback is { } clawback)
                    {
                        var repaidAt = At(clawback.RepaidOn, 15);
                        events.Add(new ClawbackDemanded(id, clawback.ClawbackId, clawback.Share.Level, clawback.Share.DivisionCode, clawback.Share.Amount,
                            "核查发现申报材料不实，追回已拨付奖励", clerk, At(clawback.DemandedOn, 10)));
                        events.Add(new ClawbackRepaid(id, clawback.ClawbackId, clawback.Share.Amount, clawback.RepaidOn, clawback.Voucher, "treasury", repaidAt));
                        budget.Add(clawback.Line, new BudgetClawbackCredited(BudgetLineKey.StreamId(clawback.Line), clawback.Line, clawback.ClawbackId, id,
                            clawback.Share.Amount, clawback.RepaidOn, "treasury", repaidAt));
                    }
                    if (events.Count > 0)
                    {
                        appends.Add(Existing(id, AwardHandler.StreamType, plan.County, events));
                    }
                }
                break;
        }
        return Command(session, clerk, stage == 0 ? "import" : "clerk", appends);
    }

    /// <summary>
    /// The budget events of a transaction, one append per line at the version tracked here (as the ledger appends a
    /// reservation at the version it checked), after the award streams: their rows look the award up.
    /// </summary>
    private int AppendBudget(IDocumentSession session, BudgetBatch budget) =>
        Command(session, "treasury", "system", [.. budget.Lines.Select(l => Existing(BudgetLineKey.StreamId(l.Key), BudgetHandler.StreamType, l.Key.DivisionCode, l.Events))]);

    private static int Command(IDocumentSession session, string actor, string role, IReadOnlyList<StreamAppend> appends)
    {
        if (appends.Count == 0)
        {
            return 0;
        }
        EventStore.EventStore.Stage(session, new CommandAppend(appends, new EventMetadata(actor, role, Guid.NewGuid())));
        return appends.Sum(a => a.Events.Count);
    }

    private StreamAppend New(Guid stream, string type, string county, object @event)
    {
        if (!_versions.TryAdd(stream, 1))
        {
            throw new InvalidOperationException($"stream {stream} ({type}) is started twice");
        }
        return new StreamAppend(stream, type, ExpectedVersion.NoStream, county, [@event]);
    }

    private StreamAppend Existing(Guid stream, string type, string county, IReadOnlyList<object> events)
    {
        var version = _versions.GetValueOrDefault(stream);
        _versions[stream] = version + events.Count;
        return new StreamAppend(stream, type, version, county, events);
    }

    /// <summary>
    /// An imported recognition (the stream starts with it, as an import's does), by the recognising department of the
    /// tier's level for the county, with the rule an import skips written down as the decider writes it.
    /// </summary>
    private DesignationRecognized Recognition(EnterprisePlan plan, string clerk)
    {
        var tier = _reference.FindTier(plan.Tier)!;
        var division = _reference.RecognisingDivision(tier, plan.County)!.Code;
        var authority = _reference.Authorities.Names.First(a => a.DivisionCode == division).Name;
        var document = string.Create(CultureInfo.InvariantCulture, $"{authority}〔{plan.Year}〕{plan.RecognizedOn.DayOfYear}号");
        var batch = ImportBatch(plan.Year);
        SkippedRule[] skipped =
        [
            new(ImportRule.DeclarationAndReviews, batch, clerk, string.Create(CultureInfo.InvariantCulture,
                $"{tier.Code} recognised by {authority} ({document}) on {plan.RecognizedOn:uuuu-MM-dd}; the ledger holds no declaration or review of it")),
        ];
        return new DesignationRecognized(plan.DesignationId, plan.EnterpriseId, plan.Uscc, plan.County, plan.Tier, 1, authority, division, document,
            plan.RecognizedOn, plan.RecognizedOn, plan.RecognizedOn.PlusYears(tier.ValidityYears).PlusDays(-1), true, batch, null, skipped,
            clerk, At(plan.RecognizedOn, 9));
    }

    private static string ImportBatch(int year) => string.Create(CultureInfo.InvariantCulture, $"srdi-{year}");

    internal static Instant At(LocalDate date, int hour) => date.At(new LocalTime(hour, 0)).InZoneStrictly(ChinaTime.Zone).ToInstant();

    /// <summary>One transaction's budget events by line, lines in the order first touched.</summary>
    private sealed class BudgetBatch
    {
        private readonly Dictionary<BudgetLineKey, List<object>> _events = [];

        public List<(BudgetLineKey Key, List<object> Events)> Lines { get; } = [];

        public void Add(BudgetLineKey line, object @event)
        {
            if (!_events.TryGetValue(line, out var events))
            {
                _events[line] = events = [];
                Lines.Add((line, events));
            }
            events.Add(@event);
        }
    }
}
