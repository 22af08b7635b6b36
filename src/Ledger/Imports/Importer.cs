using System.Diagnostics;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.ReadModels;
using Ledger.Reference;
using Marten;
using NodaTime;
using Npgsql;
using Wolverine;

namespace Ledger.Imports;

/// <summary>What an import did.</summary>
/// <param name="ImportBatch">The batch name its events and skipped rules carry (from the files' digest).</param>
/// <param name="Rows">Rows read, over every file.</param>
/// <param name="New">What it recorded, by kind (this run).</param>
/// <param name="NewEvents">Events appended by this run.</param>
/// <param name="Commits">Transactions it committed (1 for an import of up to <see cref="Importer.SingleTransactionRows"/> rows).</param>
/// <param name="Resumed">It finished an import of the same files that an earlier run left unfinished.</param>
/// <param name="WaitedForAnotherImport">Another import was running when it started; it waited for it to end.</param>
public sealed record ImportSummary(
    string ImportBatch, Guid ImportId, IReadOnlyList<string> Files, int Rows, ImportCounts New, int NewEvents, int Commits, bool Resumed,
    bool WaitedForAnotherImport, Duration Elapsed);

/// <summary>An unfinished import: reports warn while one exists.</summary>
public sealed record UnfinishedImport(string ImportBatch, string Actor, int Rows);

/// <summary>
/// <c>ledger import</c>: reads a county's files (docs/import-format.md), validates every row — first on its own, then by
/// running the ledger's deciders over the ledger's state in memory (<see cref="ImportRun"/>) — and, only if no row is bad,
/// appends what they decided: in one transaction for up to <see cref="SingleTransactionRows"/> rows, else in commits of
/// about <see cref="EventsPerCommit"/> events, which a second run after a crash completes (rows already committed are
/// held and skipped). Imports run one at a time (an advisory lock), so two started at once end as one would; a live
/// command that changes a stream the import decided on makes the import's commit a conflict, and it decides again.
/// </summary>
public sealed class Importer(EventStore.EventStore store, ReferenceData reference, PublishedMeasures measures, ApprovalSettings approvals, IClock clock, IMessageBus bus)
{
    public const int DefaultSingleTransactionRows = 100_000;

    private readonly EventStore.EventStore _store = store;
    private readonly ReferenceData _reference = reference;
    private readonly PublishedMeasures _measures = measures;
    private readonly ApprovalSettings _approvals = approvals;

    private const string LockKey = "ledger-import";

    private const string StreamType = "import";

    /// <summary>Up to this many rows commit in one transaction.</summary>
    public int SingleTransactionRows { get; init; } = DefaultSingleTransactionRows;

    /// <summary>A larger import commits about this many events at a time.</summary>
    public int EventsPerCommit { get; init; } = 10_000;

    /// <summary>
    /// A batched import writes each commit's events and read rows set-based (<see cref="EventStore.EventStore.AppendInBulkAsync"/>,
    /// <see cref="BulkReadModel"/>); false: through Marten's append and the inline projection, as every other append (the
    /// test that compares the two).
    /// </summary>
    public bool WritesInBulk { get; init; } = true;

    /// <summary>Called after each commit of a batched import (the number of commits so far): lets a test stop an import midway.</summary>
    public Action<int>? AfterCommit { get; init; }

    public async Task<ImportSummary> ImportAsync(string path, Caller caller, IProgress<RebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var input = ImportInput.Read(path, _reference, _measures);
        progress?.Report(new RebuildProgress("reading", input.RowCount, input.RowCount));
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        var waited = !await LockAsync(connection, "pg_try_advisory_lock", cancellationToken);
        if (waited)
        {
            await LockAsync(connection, "pg_advisory_lock", cancellationToken);
        }
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var summary = await RunAsync(input, caller, waited, progress, cancellationToken);
                    return summary with { Elapsed = Duration.FromTimeSpan(watch.Elapsed) };
                }
                catch (ConcurrencyException) when (attempt < 3)
                {
                    // A live command changed a stream the import had decided on: decide again on the fresh state.
                }
            }
        }
        finally
        {
            await LockAsync(connection, "pg_advisory_unlock", CancellationToken.None);
        }
    }

    /// <summary>Imports whose last commit has not landed (a batched import that stopped midway).</summary>
    public static async Task<IReadOnlyList<UnfinishedImport>> UnfinishedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT import_batch, actor, row_count FROM imports WHERE status = 'started' ORDER BY import_batch");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var unfinished = new List<UnfinishedImport>();
        while (await reader.ReadAsync(cancellationToken))
        {
            unfinished.Add(new UnfinishedImport(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }
        return unfinished;
    }

    private async Task<ImportSummary> RunAsync(ImportInput input, Caller caller, bool waited, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var at = clock.GetCurrentInstant();
        var batch = "import-" + input.Digest[..12];
        var importId = DeterministicGuid.Create("import:" + input.Digest);
        var single = input.RowCount <= SingleTransactionRows;
        var groups = single ? [input] : Interleaved(input.Partition(EnterprisesPerGroup, CityOf(input)));
        await using var facts = _store.DataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM award_triggers)");
        var ledgerHadFacts = (bool)(await facts.ExecuteScalarAsync(cancellationToken))!;
        var run = new Run(this, input, groups, importId, caller, at, batch, progress);

        // Every group is decided in memory first; the decisions are written only if no row of any group is bad.
        var decided = await run.DecideAsync(cancellationToken);
        if (!decided.Wrote)
        {
            return new ImportSummary(batch, importId, input.Files, input.RowCount, decided.Counts, 0, 0, false, waited, Duration.Zero);
        }

        // Facts the ledger held before the import under a policy the import issued: the live catch-up decides what it owes.
        if (ledgerHadFacts)
        {
            foreach (var policy in decided.IssuedPolicies)
            {
                await bus.InvokeAsync(new CatchUpPolicy(policy), cancellationToken);
            }
        }
        return new ImportSummary(batch, importId, input.Files, input.RowCount, decided.Counts, decided.Written, decided.Commits, decided.Resumed, waited, Duration.Zero);
    }

    /// <summary>The city of each enterprise of the files (by its county), so that a group holds whole cities and groups share few budget lines.</summary>
    private Func<string, string?> CityOf(ImportInput input)
    {
        var counties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in input.EnterpriseRows)
        {
            counties.TryAdd(row.Uscc, row.CountyCode);
        }
        return uscc => counties.TryGetValue(uscc, out var county) ? DivisionAt(county, FundingLevel.City) ?? DivisionAt(county, FundingLevel.Province) : null;
    }

    /// <summary>
    /// The groups in an order where neighbours lie in different provinces where it can be: the groups of one province share
    /// its budget lines and commit one after another, two of different provinces commit side by side. The first group
    /// (the policies and budgets) stays first and the last (the published figures, returns of no payment in the files)
    /// last; within a province the groups keep their order, so each budget line sees them as it would have.
    /// </summary>
    private static List<ImportInput> Interleaved(IReadOnlyList<ImportInput> groups)
    {
        if (groups.Count <= 3)
        {
            return [.. groups];
        }
        var provinces = groups.Skip(1).Take(groups.Count - 2)
            .GroupBy(g => g.EnterpriseRows.Count > 0 ? g.EnterpriseRows[0].CountyCode[..2] : "", StringComparer.Ordinal)
            .Select(p => new Queue<ImportInput>(p)).ToList();
        var ordered = new List<ImportInput>(groups.Count) { groups[0] };
        Queue<ImportInput>? last = null;
        while (ordered.Count < groups.Count - 1)
        {
            // The province with the most groups left, other than the last one's: the longest run of one province is split most.
            var next = provinces.Where(p => p.Count > 0 && p != last).MaxBy(p => p.Count) ?? last!;
            ordered.Add(next.Dequeue());
            last = next;
        }
        ordered.Add(groups[^1]);
        return ordered;
    }

    /// <summary>A batched import decides and commits this many enterprises (with all their rows) at a time.</summary>
    public int EnterprisesPerGroup { get; init; } = 20_000;

    private sealed record Decided(ImportCounts Counts, bool Wrote, int Written, int Commits, bool Resumed, IReadOnlyList<Guid> IssuedPolicies);

    /// <summary>One run of an import: decide every group on the ledger's state, then commit what they decided.</summary>
    private sealed class Run(Importer importer, ImportInput input, IReadOnlyList<ImportInput> groups, Guid importId, Caller caller, Instant at, string batch,
        IProgress<RebuildProgress>? progress)
    {
        public async Task<Decided> DecideAsync(CancellationToken cancellationToken)
        {
            var world = new ImportWorld();
            var index = new ImportIndex();
            await importer.LoadSharedAsync(world, index, input, importId, cancellationToken);
            var imports = world.Events(importId).ToList();
            var started = imports.OfType<ImportStarted>().Any();
            var resumed = started && !imports.OfType<ImportFinished>().Any();
            var errors = new List<InputRowError>(input.Errors);
            var counts = ImportCounts.Zero;
            var checkedRows = 0;
            _importVersion = imports.Count;
            var single = input.RowCount <= importer.SingleTransactionRows;
            // Each group's commits, as its decisions cut them: written once every group has been decided and no row is bad.
            var plans = new List<List<IReadOnlyList<StreamAppend>>>();
            var issued = new List<Guid>();
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                await importer.LoadGroupAsync(world, index, group, cancellationToken);
                var checkpoint = index;
                ImportRun run;
                for (var pass = 1; ; pass++)
                {
                    index = checkpoint.Copy();
                    run = new ImportRun(world, index, importer._reference, importer._measures, importer._approvals, caller.Actor, at, batch);
                    run.Run(group);
                    if (world.Missed.Count == 0 || pass == 3)
                    {
                        break;
                    }
                    // A decider read streams the import had not loaded (a budget line a return goes back to): load them, decide again.
                    await importer.LoadStreamsAsync(world, [.. world.Missed], cancellationToken);
                    world.Missed.Clear();
                    world.Reset();
                }
                checkedRows += group.RowCount;
                progress?.Report(new RebuildProgress("checking rows", checkedRows, input.RowCount));
                errors.AddRange(run.Errors);
                counts = Add(counts, run.Counts);
                issued.AddRange(world.Log.SelectMany(l => l.Events).OfType<AwardPolicyIssued>().Select(p => p.PolicyId));
                if (errors.Count == 0 && world.NewEvents > 0)
                {
                    plans.Add(world.Batches(single ? int.MaxValue : importer.EventsPerCommit).ToList());
                }
                world.Settle();
                var keep = index.Lines.Concat(index.Policies).Append(importId).ToHashSet();
                keep.UnionWith(_figures);
                world.Evict(keep.Contains);
                // Every row of an enterprise is in its one group: later groups need none of its entries, and each pass copies the index.
                index.Forget(EnterprisesOf(group), group.PaymentRows.Select(r => r.VoucherNumber.Trim()));
            }
            if (errors.Count > 0)
            {
                throw new InputFileException([.. errors.OrderBy(e => ImportInput.FileNames.ToList().IndexOf(e.File)).ThenBy(e => e.Line)]);
            }
            var newEvents = plans.Sum(p => p.Sum(b => b.Sum(a => a.Events.Count)));
            if (newEvents > 0 || (resumed && !single))
            {
                await WriteAsync(plans, started, single, counts, newEvents, cancellationToken);
            }
            return new Decided(counts, _written > 0, _written, _commits, resumed, issued);
        }

        /// <summary>
        /// Commits the groups' decisions in order — the import's own events with the first, and, for a batched import, its
        /// last commit once every group's have landed.
        /// </summary>
        private async Task WriteAsync(List<List<IReadOnlyList<StreamAppend>>> plans, bool started, bool single, ImportCounts counts, int newEvents,
            CancellationToken cancellationToken)
        {
            var total = newEvents + 2;
            if (plans.Count > 0)
            {
                var importEvents = new List<object>();
                if (!started)
                {
                    var commits = single ? 1 : plans.Sum(p => p.Count) + 1;
                    importEvents.Add(new ImportStarted(importId, batch, input.Digest, input.Files, input.RowCount, newEvents, commits, caller.Actor, at));
                }
                if (single)
                {
                    importEvents.Add(new ImportFinished(importId, batch, counts, caller.Actor, at));
                }
                if (importEvents.Count > 0)
                {
                    plans[0][0] = [.. plans[0][0], ImportAppend(importEvents)];
                }
            }
            var inFlight = new List<(HashSet<Guid> Streams, Task Commit)>();
            try
            {
                foreach (var plan in plans)
                {
                    var streams = plan.SelectMany(b => b.Select(a => a.StreamId)).ToHashSet();
                    // A group appends after every earlier group that wrote one of its streams (a shared budget line): those
                    // commits land first. Groups that share none commit side by side, three at a time.
                    foreach (var earlier in inFlight.Where(f => f.Streams.Overlaps(streams)).ToList())
                    {
                        await earlier.Commit;
                        inFlight.Remove(earlier);
                    }
                    while (inFlight.Count >= 3)
                    {
                        var done = await Task.WhenAny(inFlight.Select(f => f.Commit));
                        await done;
                        inFlight.RemoveAll(f => f.Commit == done);
                    }
                    inFlight.Add((streams, Task.Run(() => CommitAsync(plan, total, finalIsLast: single, bulk: !single, cancellationToken), cancellationToken)));
                }
            }
            catch
            {
                // Nothing of this run may go on writing once it has failed: let the commits in flight end first.
                try
                {
                    await Task.WhenAll(inFlight.Select(f => f.Commit));
                }
                catch (Exception)
                {
                    // The first failure is the one to report.
                }
                throw;
            }
            await Task.WhenAll(inFlight.Select(f => f.Commit));
            if (!single)
            {
                // The last commit of a batched import, once every group's commits have landed.
                await CommitAsync([[ImportAppend([new ImportFinished(importId, batch, counts, caller.Actor, at)])]], total, finalIsLast: true, bulk: true, cancellationToken);
            }
        }

        private long _importVersion;
        private int _written;
        private int _commits;
        private readonly Lock _progress = new();

        private StreamAppend ImportAppend(List<object> events)
        {
            var append = new StreamAppend(importId, StreamType, _importVersion == 0 ? ExpectedVersion.NoStream : _importVersion, "100000", events);
            _importVersion += events.Count;
            return append;
        }

        /// <summary>Commits a group's batches one after another, each one transaction; <paramref name="bulk"/>: a batched import's, read rows set-based.</summary>
        private async Task CommitAsync(IReadOnlyList<IReadOnlyList<StreamAppend>> batches, int total, bool finalIsLast, bool bulk, CancellationToken cancellationToken)
        {
            var metadata = new EventMetadata(caller.Actor, caller.Role, importId, null, null, $"import {batch}", caller.OsUser);
            for (var i = 0; i < batches.Count; i++)
            {
                if (bulk && importer.WritesInBulk)
                {
                    await importer.CommitInBulkAsync(new CommandAppend(batches[i], metadata), cancellationToken);
                }
                else
                {
                    await using var session = importer._store.Marten.LightweightSession();
                    var pending = EventStore.EventStore.Stage(session, new CommandAppend(batches[i], metadata));
                    await EventStore.EventStore.SaveAsync(session, pending, cancellationToken);
                }
                var written = Interlocked.Add(ref _written, batches[i].Sum(a => a.Events.Count));
                var commits = Interlocked.Increment(ref _commits);
                lock (_progress)
                {
                    progress?.Report(new RebuildProgress("writing events", written, total));
                }
                if (!(finalIsLast && i == batches.Count - 1))
                {
                    importer.AfterCommit?.Invoke(commits);
                }
            }
        }

        // The published figures' streams, shared with the last group (figures come last): kept when groups are let go.
        private readonly HashSet<Guid> _figures =
            [.. input.FigureRows.Select(r => PublishedFigure.StreamIdFor(r.Figure.JurisdictionCode, r.Figure.Year, r.Figure.Measure, r.Figure.Basis))];

        private static ImportCounts Add(ImportCounts a, ImportCounts b) => new(
            a.Policies + b.Policies, a.Enterprises + b.Enterprises, a.BudgetLines + b.BudgetLines, a.Recognitions + b.Recognitions, a.Renewals + b.Renewals,
            a.Awards + b.Awards, a.Lowerings + b.Lowerings, a.Payments + b.Payments, a.Returns + b.Returns, a.Clawbacks + b.Clawbacks,
            a.Repayments + b.Repayments, a.Figures + b.Figures, a.PrerequisiteOverrides + b.PrerequisiteOverrides, a.RenewalsWithoutBase + b.RenewalsWithoutBase,
            a.Held + b.Held);
    }

    /// <summary>
    /// One commit of a batched import in one transaction: its events set-based (<see cref="EventStore.EventStore.AppendInBulkAsync"/>),
    /// then their read rows set-based (<see cref="BulkReadModel"/>), both in one transaction that the chain links at commit.
    /// </summary>
    private async Task CommitInBulkAsync(CommandAppend command, CancellationToken cancellationToken)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new BulkReadModel(ReadProjections.All);
        foreach (var appended in await _store.AppendInBulkAsync(connection, transaction, command, cancellationToken))
        {
            rows.Add(new ProjectedEvent(appended.Id, appended.TypeName, appended.Data));
        }
        await rows.WriteAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What every group shares: the policies, the budget lines of budgets.csv, the published figures, the import's own stream.</summary>
    private async Task LoadSharedAsync(ImportWorld world, ImportIndex index, ImportInput input, Guid importId, CancellationToken cancellationToken)
    {
        var ids = new HashSet<Guid> { importId };
        var policies = (await PairsAsync("SELECT policy_id, policy_id FROM policies", null, cancellationToken)).Select(p => p.Item1).ToList();
        ids.UnionWith(policies);
        ids.UnionWith(input.PolicyRows.Select(r => AwardPolicyDecider.StreamId(r.IssuerCode, r.DocumentNumber)));
        var lines = input.BudgetRows.Select(r => BudgetLineKey.StreamId(new BudgetLineKey(r.DivisionCode, r.Year, r.Level))).ToList();
        ids.UnionWith(lines);
        index.Lines.UnionWith(lines);
        ids.UnionWith(input.FigureRows.Select(r => PublishedFigure.StreamIdFor(r.Figure.JurisdictionCode, r.Figure.Year, r.Figure.Measure, r.Figure.Basis)));
        await LoadStreamsAsync(world, ids, cancellationToken);
        foreach (var policy in policies)
        {
            if (world.Events(policy).FirstOrDefault() is AwardPolicyIssued issued)
            {
                index.AddPolicy(policy, issued.IssuerCode, issued.Key);
            }
        }
    }

    /// <summary>The streams one group of enterprises may decide on, and the read tables' lookups over them, in a few queries.</summary>
    private async Task LoadGroupAsync(ImportWorld world, ImportIndex index, ImportInput input, CancellationToken cancellationToken)
    {
        var usccs = EnterprisesOf(input);
        var ids = new HashSet<Guid>(usccs);

        foreach (var (designation, enterprise) in await PairsAsync("SELECT designation_id, enterprise_id FROM designations WHERE enterprise_id = ANY($1)", usccs, cancellationToken))
        {
            index.AddDesignation(enterprise, designation);
            ids.Add(designation);
        }
        var stacked = new HashSet<(Guid, Guid)>();
        await using (var command = _store.DataSource.CreateCommand("SELECT award_id, enterprise_id, policy_id FROM awards WHERE enterprise_id = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = usccs });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                index.AddAward(reader.GetGuid(1), reader.GetGuid(0));
                ids.Add(reader.GetGuid(0));
                // Only an enterprise with an award under a policy can have that policy's stack stream.
                if (stacked.Add((reader.GetGuid(2), reader.GetGuid(1))))
                {
                    ids.Add(AwardStacked.StreamId(reader.GetGuid(2), reader.GetGuid(1)));
                }
            }
        }
        var counties = input.EnterpriseRows.ToDictionary(r => r.Uscc, r => r.CountyCode, StringComparer.Ordinal);
        foreach (var payment in input.PaymentRows)
        {
            if (counties.TryGetValue(payment.Award.Uscc, out var county) && DivisionAt(county, payment.Level) is { } division)
            {
                var line = BudgetLineKey.StreamId(new BudgetLineKey(division, payment.PaidOn.Year, payment.Level));
                if (!world.IsLoaded(line))
                {
                    ids.Add(line);
                }
            }
        }

        var vouchers = input.PaymentRows.Select(r => r.VoucherNumber.Trim()).Concat(input.ReturnRows.Select(r => r.VoucherNumber.Trim())).Distinct().ToArray();
        await using (var command = _store.DataSource.CreateCommand("SELECT voucher_number, award_id, disbursement_id FROM vouchers WHERE voucher_number = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = vouchers });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                index.Vouchers[reader.GetString(0)] = (reader.GetGuid(1), reader.GetGuid(2));
                ids.Add(reader.GetGuid(1));
            }
        }
        await LoadStreamsAsync(world, [.. ids.Where(id => !world.IsLoaded(id))], cancellationToken);
    }

    /// <summary>The streams of the enterprises the rows name.</summary>
    private static Guid[] EnterprisesOf(ImportInput input) => [.. input.EnterpriseRows.Select(r => r.Uscc)
        .Concat(input.RecognitionRows.Select(r => r.Uscc))
        .Concat(input.LoweringRows.Select(r => r.Award.Uscc))
        .Concat(input.PaymentRows.Select(r => r.Award.Uscc))
        .Concat(input.ClawbackRows.Select(r => r.Award.Uscc))
        .Distinct(StringComparer.Ordinal)
        .Select(u => Uscc.TryParse(u, out var uscc, out _) ? Enterprise.StreamIdFor(uscc) : Guid.Empty)
        .Where(id => id != Guid.Empty)];

    private async Task LoadStreamsAsync(ImportWorld world, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var streams = await _store.ReadStreamsAsync(ids, cancellationToken);
        foreach (var id in ids)
        {
            world.Loaded(id, streams.TryGetValue(id, out var events) ? events : []);
        }
    }

    private async Task<List<(Guid, Guid)>> PairsAsync(string sql, Guid[]? parameter, CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand(sql);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        var pairs = new List<(Guid, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }
        return pairs;
    }

    private string? DivisionAt(string countyCode, FundingLevel level)
    {
        var wanted = level switch
        {
            FundingLevel.Province => DivisionLevel.Province,
            FundingLevel.City => DivisionLevel.City,
            _ => DivisionLevel.County,
        };
        for (var d = _reference.FindDivision(countyCode); d is not null; d = d.ParentCode is null ? null : _reference.FindDivision(d.ParentCode))
        {
            if (d.Level == wanted)
            {
                return d.Code;
            }
        }
        return null;
    }

    private static async Task<bool> LockAsync(NpgsqlConnection connection, string function, CancellationToken cancellationToken)
    {
        // pg_try_advisory_lock answers whether it got the lock; pg_advisory_lock waits for it and answers nothing.
        await using var command = new NpgsqlCommand(
            function == "pg_advisory_lock" ? $"SELECT true FROM {function}(hashtext('{LockKey}'))" : $"SELECT {function}(hashtext('{LockKey}'))", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
