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

    private const string LockKey = "ledger-import";

    private const string StreamType = "import";

    /// <summary>Up to this many rows commit in one transaction.</summary>
    public int SingleTransactionRows { get; init; } = DefaultSingleTransactionRows;

    /// <summary>A larger import commits about this many events at a time.</summary>
    public int EventsPerCommit { get; init; } = 50_000;

    /// <summary>Called after each commit of a batched import (the number of commits so far): lets a test stop an import midway.</summary>
    public Action<int>? AfterCommit { get; init; }

    public async Task<ImportSummary> ImportAsync(string path, Caller caller, IProgress<RebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var input = ImportInput.Read(path, reference, measures);
        progress?.Report(new RebuildProgress("reading", input.RowCount, input.RowCount));
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
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
        var (world, loaded, ledgerHadFacts) = await LoadAsync(input, importId, cancellationToken);

        ImportRun run;
        var pass = 0;
        while (true)
        {
            pass++;
            progress?.Report(new RebuildProgress("checking rows", 0, input.RowCount));
            run = new ImportRun(world, loaded.Copy(), reference, measures, approvals, caller.Actor, at, batch);
            run.Run(input);
            progress?.Report(new RebuildProgress("checking rows", input.RowCount, input.RowCount));
            if (world.Missed.Count == 0 || pass == 3)
            {
                break;
            }
            // A decider read streams the import had not loaded (a budget line a return goes back to): load them, decide again.
            await LoadStreamsAsync(world, [.. world.Missed], cancellationToken);
            world.Missed.Clear();
            world.Reset();
        }
        var errors = input.Errors.Concat(run.Errors)
            .OrderBy(e => ImportInput.FileNames.ToList().IndexOf(e.File)).ThenBy(e => e.Line).ToList();
        if (errors.Count > 0)
        {
            throw new InputFileException(errors);
        }

        var imports = world.Events(importId).ToList();
        var resumed = imports.OfType<ImportStarted>().Any() && !imports.OfType<ImportFinished>().Any();
        if (world.NewEvents == 0 && !resumed)
        {
            return new ImportSummary(batch, importId, input.Files, input.RowCount, run.Counts, 0, 0, false, waited, Duration.Zero);
        }

        var metadata = new EventMetadata(caller.Actor, caller.Role, importId, null, null, $"import {batch}", caller.OsUser);
        var commits = input.RowCount <= SingleTransactionRows ? [.. world.Batches(int.MaxValue)] : world.Batches(EventsPerCommit).ToList();
        if (commits.Count == 0)
        {
            commits.Add([]);
        }
        var importVersion = (long)imports.Count;
        var written = 0;
        var total = world.NewEvents + (imports.OfType<ImportStarted>().Any() ? 1 : 2);
        for (var i = 0; i < commits.Count; i++)
        {
            var importEvents = new List<object>();
            if (i == 0 && !imports.OfType<ImportStarted>().Any())
            {
                importEvents.Add(new ImportStarted(importId, batch, input.Digest, input.Files, input.RowCount, world.NewEvents, commits.Count, caller.Actor, at));
            }
            if (i == commits.Count - 1)
            {
                importEvents.Add(new ImportFinished(importId, batch, run.Counts, caller.Actor, at));
            }
            List<StreamAppend> appends = [.. commits[i]];
            if (importEvents.Count > 0)
            {
                appends.Add(new StreamAppend(importId, StreamType, importVersion == 0 ? ExpectedVersion.NoStream : importVersion, "100000", importEvents));
                importVersion += importEvents.Count;
            }
            await using var session = store.Marten.LightweightSession();
            var pending = EventStore.EventStore.Stage(session, new CommandAppend(appends, metadata));
            await EventStore.EventStore.SaveAsync(session, pending, cancellationToken);
            written += appends.Sum(a => a.Events.Count);
            progress?.Report(new RebuildProgress("writing events", written, total));
            if (i < commits.Count - 1)
            {
                AfterCommit?.Invoke(i + 1);
            }
        }

        // Facts the ledger held before the import under a policy the import issued: the live catch-up decides what it owes.
        if (ledgerHadFacts)
        {
            foreach (var issued in world.Log.SelectMany(l => l.Events).OfType<AwardPolicyIssued>())
            {
                await bus.InvokeAsync(new CatchUpPolicy(issued.PolicyId), cancellationToken);
            }
        }
        return new ImportSummary(batch, importId, input.Files, input.RowCount, run.Counts, written, commits.Count, resumed, waited, Duration.Zero);
    }

    /// <summary>Every stream the rows may decide on, and the read tables' lookups over them, in a few queries.</summary>
    private async Task<(ImportWorld World, ImportIndex Index, bool LedgerHadFacts)> LoadAsync(ImportInput input, Guid importId, CancellationToken cancellationToken)
    {
        var world = new ImportWorld();
        var index = new ImportIndex();
        var usccs = input.EnterpriseRows.Select(r => r.Uscc)
            .Concat(input.RecognitionRows.Select(r => r.Uscc))
            .Concat(input.LoweringRows.Select(r => r.Award.Uscc))
            .Concat(input.PaymentRows.Select(r => r.Award.Uscc))
            .Concat(input.ClawbackRows.Select(r => r.Award.Uscc))
            .Distinct(StringComparer.Ordinal)
            .Select(u => Uscc.TryParse(u, out var uscc, out _) ? Enterprise.StreamIdFor(uscc) : Guid.Empty)
            .Where(id => id != Guid.Empty).ToArray();
        var ids = new HashSet<Guid>(usccs) { importId };

        foreach (var (designation, enterprise) in await PairsAsync("SELECT designation_id, enterprise_id FROM designations WHERE enterprise_id = ANY($1)", usccs, cancellationToken))
        {
            index.AddDesignation(enterprise, designation);
            ids.Add(designation);
        }
        var stacked = new HashSet<(Guid, Guid)>();
        await using (var command = store.DataSource.CreateCommand("SELECT award_id, enterprise_id, policy_id FROM awards WHERE enterprise_id = ANY($1)"))
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
        var policies = (await PairsAsync("SELECT policy_id, policy_id FROM policies", null, cancellationToken)).Select(p => p.Item1).ToList();
        ids.UnionWith(policies);
        ids.UnionWith(input.PolicyRows.Select(r => AwardPolicyDecider.StreamId(r.IssuerCode, r.DocumentNumber)));
        ids.UnionWith(input.BudgetRows.Select(r => BudgetLineKey.StreamId(new BudgetLineKey(r.DivisionCode, r.Year, r.Level))));
        var counties = input.EnterpriseRows.ToDictionary(r => r.Uscc, r => r.CountyCode, StringComparer.Ordinal);
        foreach (var payment in input.PaymentRows)
        {
            if (counties.TryGetValue(payment.Award.Uscc, out var county) && DivisionAt(county, payment.Level) is { } division)
            {
                ids.Add(BudgetLineKey.StreamId(new BudgetLineKey(division, payment.PaidOn.Year, payment.Level)));
            }
        }
        ids.UnionWith(input.FigureRows.Select(r => PublishedFigure.StreamIdFor(r.Figure.JurisdictionCode, r.Figure.Year, r.Figure.Measure, r.Figure.Basis)));

        var vouchers = input.PaymentRows.Select(r => r.VoucherNumber.Trim()).Concat(input.ReturnRows.Select(r => r.VoucherNumber.Trim())).Distinct().ToArray();
        await using (var command = store.DataSource.CreateCommand("SELECT voucher_number, award_id, disbursement_id FROM vouchers WHERE voucher_number = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = vouchers });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                index.Vouchers[reader.GetString(0)] = (reader.GetGuid(1), reader.GetGuid(2));
                ids.Add(reader.GetGuid(1));
            }
        }

        await LoadStreamsAsync(world, ids, cancellationToken);
        foreach (var policy in policies)
        {
            if (world.Events(policy).FirstOrDefault() is AwardPolicyIssued issued)
            {
                index.AddPolicy(policy, issued.IssuerCode, issued.Key);
            }
        }
        await using var facts = store.DataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM award_triggers)");
        var ledgerHadFacts = (bool)(await facts.ExecuteScalarAsync(cancellationToken))!;
        return (world, index, ledgerHadFacts);
    }

    private async Task LoadStreamsAsync(ImportWorld world, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var streams = await store.ReadStreamsAsync(ids, cancellationToken);
        foreach (var id in ids)
        {
            world.Loaded(id, streams.TryGetValue(id, out var events) ? events : []);
        }
    }

    private async Task<List<(Guid, Guid)>> PairsAsync(string sql, Guid[]? parameter, CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand(sql);
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
        for (var d = reference.FindDivision(countyCode); d is not null; d = d.ParentCode is null ? null : reference.FindDivision(d.ParentCode))
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
