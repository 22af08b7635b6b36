using System.Diagnostics;
using System.Runtime.InteropServices;
using Ledger.EventStore;
using Ledger.EventStore.Embedded;
using Ledger.ReadModels;
using Ledger.Reference;
using Ledger.Reports;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace Ledger.Benchmarks;

/// <summary>How the read-side benchmark runs.</summary>
/// <param name="Events">Events to load.</param>
/// <param name="Analyze">ANALYZE after the load (as autovacuum would have by then on a running ledger).</param>
/// <param name="Explain">Print EXPLAIN ANALYZE of the report queries for one sample, with custom and generic plans.</param>
public sealed record ReadSideOptions(int Events, bool Analyze, bool Explain);

/// <summary>
/// The read side with N events loaded, in one run on a durable private server: the load's rate; p50/p95/p99 of
/// a county-year's totals, an enterprise's history and a county-year's totals as of an instant in the middle of
/// the load, each against <c>SELECT 1</c> on the same pool measured interleaved with it; and the rebuild of every
/// projection against "the limit": one SELECT streaming every event plus a binary COPY of the rows it writes.
/// </summary>
public static partial class ReadSideBenchmark
{
    private const string Database = "bench_read";
    private const int Warmup = 50;
    private const int TotalsSamples = 1_000;
    private const int HistorySamples = 1_000;
    private const int AsOfSamples = 500;
    private const double ReadTargetMs = 5;
    private const double AsOfTargetMs = 1_000;
    private const double RebuildTarget = 10_000;
    private const double RebuildStretch = 20_000;

    public static async Task<int> RunAsync(EmbeddedPostgres server, ReadSideOptions options, CancellationToken cancellationToken)
    {
        await LedgerDatabase.CreateDatabaseIfMissingAsync(server.ConnectionString, Database, cancellationToken);
        await using var database = await LedgerDatabase.OpenAsync(
            new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Database }.ConnectionString, cancellationToken: cancellationToken);
        var reference = ReferenceDataLoader.LoadDefault();
        // Treasury files (none are written: the load appends no command) stay in the benchmark's temporary folder.
        await using var app = await LedgerApp.StartAsync(database, reference,
            new LedgerAppOptions { TreasuryFolder = Path.Combine(server.DataRoot, "treasury") }, cancellationToken);
        await PrintMachineAsync(database, server, cancellationToken);

        var clock = Stopwatch.StartNew();
        var loader = new ReadSideLoader(reference, options.Events);
        var awards = loader.Enterprises.Sum(p => p.Awards.Count);
        Console.WriteLine($"Plan ({clock.Elapsed.TotalSeconds:F1} s): {loader.PlannedEvents:N0} events: {loader.Enterprises.Count:N0} enterprises in " +
            $"{loader.Counties.Count} counties, fiscal years {ReadSideLoader.Years[0]}-{ReadSideLoader.Years[^1]}, {awards:N0} awards under " +
            $"{loader.Policies.Count} policies of {loader.Policies.Select(p => p.IssuerCode).Distinct().Count()} issuers, " +
            $"{loader.Enterprises.SelectMany(p => p.Awards).Sum(a => a.Tranches.Count):N0} disbursements, {loader.Appropriations.Count:N0} budget lines");

        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var load = await loader.LoadAsync(store, (events, elapsed) =>
            Console.WriteLine($"  loaded {events,10:N0} events in {elapsed.TotalSeconds,6:F0} s ({events / elapsed.TotalSeconds:N0} ev/s)"), cancellationToken);
        Console.WriteLine($"Load: {load.Events:N0} events in {load.Transactions:N0} transactions (about 1,000 events each), " +
            $"{load.Elapsed.TotalSeconds:F1} s = {load.EventsPerSecond:N0} ev/s, inline projections and hash chain as in production");

        var ok = await CheckLoadAsync(database, load, cancellationToken);
        if (options.Analyze)
        {
            await ExecuteAsync(database.Owner, "ANALYZE", cancellationToken);
        }
        ok &= await CheckTotalsAsync(app.Reports, loader, cancellationToken);
        var midpoint = await app.Reports.PointAsync(load.Midpoint, cancellationToken);
        Console.WriteLine($"As-of instant: {load.Midpoint} (chain position {midpoint.Position:N0} of {load.Events:N0})");
        Console.WriteLine();

        var random = new Random(7);
        (int Year, string County) CountyYear() => (ReadSideLoader.Years[random.Next(ReadSideLoader.Years.Count)], loader.Counties[random.Next(loader.Counties.Count)]);
        var withMoney = 0;
        var totals = await SampleAsync(database.App, TotalsSamples, async () =>
        {
            var (year, county) = CountyYear();
            var report = await app.Reports.TotalsAsync(new TotalsQuery(year, county), cancellationToken);
            withMoney += report.Amounts.Paid.IsPositive ? 1 : 0;
        }, cancellationToken);
        long lines = 0;
        var history = await SampleAsync(database.App, HistorySamples, async () =>
        {
            var plan = loader.Enterprises[random.Next(loader.Enterprises.Count)];
            lines += (await app.Reports.HistoryAsync(plan.Uscc, cancellationToken: cancellationToken)).Lines.Count;
        }, cancellationToken);
        var asOfWithMoney = 0;
        var asOf = await SampleAsync(database.App, AsOfSamples, async () =>
        {
            var (year, county) = CountyYear();
            var report = await app.Reports.TotalsAsync(new TotalsQuery(year, county, AsOf: load.Midpoint), cancellationToken);
            asOfWithMoney += report.Amounts.Paid.IsPositive ? 1 : 0;
        }, cancellationToken);
        Console.WriteLine($"Reads: totals with payments in {withMoney * 100.0 / (Warmup + TotalsSamples):F0} % of county-years; " +
            $"{lines / (double)(Warmup + HistorySamples):F1} lines per history; as of the midpoint, payments in {asOfWithMoney * 100.0 / (Warmup + AsOfSamples):F0} % of county-years");

        var rebuild = await RebuildAsync(database, load.Events, cancellationToken);
        ok &= rebuild.Result.Identical;
        Console.WriteLine();
        PrintTable(load, totals, history, asOf, rebuild);
        if (options.Explain)
        {
            await ExplainAsync(database, midpoint.Position, load.Midpoint, cancellationToken);
        }
        return ok ? 0 : 1;
    }

    /// <summary>Latencies of a read and of <c>SELECT 1</c> on the same pool, taken in turn so drift hits both alike.</summary>
    private sealed record Sample(List<double> Read, List<double> Baseline)
    {
        public double Read50 => Stats.Percentile(Read, 50);

        public double Read95 => Stats.Percentile(Read, 95);

        public double Read99 => Stats.Percentile(Read, 99);

        public double Base50 => Stats.Percentile(Baseline, 50);

        public double Base99 => Stats.Percentile(Baseline, 99);
    }

    private static async Task<Sample> SampleAsync(NpgsqlDataSource pool, int count, Func<Task> read, CancellationToken cancellationToken)
    {
        var sample = new Sample([], []);
        for (var i = 0; i < Warmup + count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            await using (var command = pool.CreateCommand("SELECT 1"))
            {
                await command.ExecuteScalarAsync(cancellationToken);
            }
            var between = Stopwatch.GetTimestamp();
            await read();
            var done = Stopwatch.GetTimestamp();
            if (i >= Warmup)
            {
                sample.Baseline.Add(Stopwatch.GetElapsedTime(started, between).TotalMilliseconds);
                sample.Read.Add(Stopwatch.GetElapsedTime(between, done).TotalMilliseconds);
            }
        }
        return sample;
    }

    private static void PrintTable(LoadResult load, Sample totals, Sample history, Sample asOf, RebuildRun rebuild)
    {
        Console.WriteLine($"Read side with {load.Events:N0} events loaded (load {load.EventsPerSecond:N0} ev/s)");
        Console.WriteLine($"{"read (latency, ms)",-34} {"n",5} {"p50",7} {"p95",7} {"p99",7}  {"target",-15} {"met",-3}  {"SELECT 1 p50/p99",16}  {"ratio p50/p99",13}");
        void Row(string name, Sample s, double targetMs)
        {
            var met = s.Read99 < targetMs ? "yes" : "NO";
            Console.WriteLine($"{name,-34} {s.Read.Count,5} {s.Read50,7:F2} {s.Read95,7:F2} {s.Read99,7:F2}  {$"p99 < {targetMs:N0} ms",-15} {met,-3}  " +
                $"{$"{s.Base50:F2}/{s.Base99:F2}",16}  {$"{s.Read50 / s.Base50:F1}/{s.Read99 / s.Base99:F1}",13}");
        }
        Row("(a) totals, one county-year", totals, ReadTargetMs);
        Row("(b) history, one enterprise", history, ReadTargetMs);
        Row("(c) as-of totals, one county-year", asOf, AsOfTargetMs);

        var r = rebuild.Result;
        var met = r.EventsPerSecond >= RebuildStretch ? "yes (stretch too)" : r.EventsPerSecond >= RebuildTarget ? "yes" : "NO";
        Console.WriteLine();
        Console.WriteLine($"{"rebuild (events/s)",-34} {"ev/s",9} {"seconds",8}  {"target",-24} {"met",-17}  {"limit ev/s",10}  {"rebuild/limit",13}");
        Console.WriteLine($"{"(d) rebuild, every projection",-34} {r.EventsPerSecond,9:N0} {r.Elapsed.TotalSeconds,8:F1}  {$">= {RebuildTarget:N0} (stretch {RebuildStretch:N0})",-24} {met,-17}  " +
            $"{rebuild.LimitPerSecond,10:N0}  {r.EventsPerSecond / rebuild.LimitPerSecond,13:F2}");
        Console.WriteLine($"    rebuild phases: {string.Join(", ", rebuild.Phases.Select(p => $"{p.Phase} {p.Seconds:F1} s"))}; " +
            $"{r.Tables.Sum(t => t.Rows):N0} rows in {r.Tables.Count} tables, {(r.Identical ? "identical to the inline tables" : "DIFFERENT from the inline tables")}");
        Console.WriteLine($"    limit: SELECT of {rebuild.Selected:N0} events in chain order {rebuild.SelectSeconds:F1} s (first, cold: {rebuild.ColdSelectSeconds:F1} s) " +
            $"+ binary COPY of {rebuild.Copied:N0} rows {rebuild.CopySeconds:F1} s = {rebuild.SelectSeconds + rebuild.CopySeconds:F1} s");
        var missed = new List<string>();
        if (totals.Read99 >= ReadTargetMs)
        {
            missed.Add("(a)");
        }
        if (history.Read99 >= ReadTargetMs)
        {
            missed.Add("(b)");
        }
        if (asOf.Read99 >= AsOfTargetMs)
        {
            missed.Add("(c)");
        }
        if (r.EventsPerSecond < RebuildTarget)
        {
            missed.Add("(d)");
        }
        Console.WriteLine(missed.Count == 0 ? "Targets: all met." : $"Targets: missed for {string.Join(", ", missed)}.");
    }

    private static async Task PrintMachineAsync(LedgerDatabase database, EmbeddedPostgres server, CancellationToken cancellationToken)
    {
        await using var show = database.Owner.CreateCommand(
            "SELECT current_setting('server_version'), format('fsync %s, synchronous_commit %s, shared_buffers %s, work_mem %s', " +
            "current_setting('fsync'), current_setting('synchronous_commit'), current_setting('shared_buffers'), current_setting('work_mem'))");
        await using var reader = await show.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        Console.WriteLine($"Ledger read-side benchmark, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
        Console.WriteLine($"PostgreSQL {reader.GetString(0)} ({reader.GetString(1)}), data in {server.DataRoot} ({Stats.FileSystemOf(server.DataRoot)})");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, Marten {typeof(DocumentStore).Assembly.GetName().Version}, " +
            "a LedgerApp host (Marten + Wolverine) on the benchmark database");
    }

    /// <summary>Every event appended is in the log and linked in the chain; prints the read tables' sizes.</summary>
    private static async Task<bool> CheckLoadAsync(LedgerDatabase database, LoadResult load, CancellationToken cancellationToken)
    {
        var counts = string.Join(", ", ReadTables.All.Select(t => $"(SELECT count(*) FROM {t.Name})"));
        await using var command = database.App.CreateCommand(
            $"SELECT (SELECT count(*) FROM mt_events), (SELECT count(*) FROM event_chain), (SELECT coalesce(max(position), 0) FROM event_chain), {counts}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (events, links, head) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        Console.WriteLine("Read tables: " + string.Join(", ", ReadTables.All.Select((t, i) => $"{t.Name} {reader.GetInt64(3 + i):N0}")));
        var ok = events == load.Events && links == events && head == events;
        Console.WriteLine(ok
            ? $"Log: {events:N0} events, all linked (chain head at position {head:N0})"
            : $"Log NOT as loaded: {events:N0} events (appended {load.Events:N0}), {links:N0} links, head at {head:N0}");
        return ok;
    }

    /// <summary>The nation's totals per year against the plans: the load is what the reports are read over.</summary>
    private static async Task<bool> CheckTotalsAsync(ReportReader reports, ReadSideLoader loader, CancellationToken cancellationToken)
    {
        var ok = true;
        foreach (var (year, expected) in loader.Expected().OrderBy(e => e.Key))
        {
            var report = await reports.TotalsAsync(new TotalsQuery(year), cancellationToken);
            var a = report.Amounts;
            var same = a.Determined == expected.Determined && a.Paid == expected.Paid && a.Returned == expected.Returned && a.Repaid == expected.Repaid
                && a.Awards == expected.Awards && a.Enterprises == expected.Enterprises && a.Reserved == Money.Zero;
            ok &= same;
            Console.WriteLine($"  {year} nation: determined {a.Determined.Yuan,16:N2}, net paid {a.NetPaid.Yuan,16:N2} 元, {a.Awards:N0} awards of {a.Enterprises:N0} enterprises " +
                (same ? "= plans" : $"DIFFER from plans (determined {expected.Determined}, paid {expected.Paid}, returned {expected.Returned}, repaid {expected.Repaid}, " +
                    $"{expected.Awards} awards, {expected.Enterprises} enterprises; reserved now {a.Reserved})"));
        }
        return ok;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
