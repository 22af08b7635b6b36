// What the ledger's append costs: plain INSERTs of the same rows (raw), Marten as the ledger configures it
// without the hash chain (marten), and the ledger's append, Marten plus the chain (chain), all in one run
// on a durable private server, interleaved in rounds. Also Marten's Rich append mode against Quick, and,
// with --cold-start, the wall time of `ledger up --once`. With --read-side, the read side instead (ReadSideBenchmark):
// reports and the rebuild over N events loaded through the ledger's own Marten sessions. With --http, the HTTP API
// under load (HttpBenchmark): /health, the command mix and the read mix, 16 workers for N seconds each.
// Usage: dotnet run -c Release --project tests/Ledger.Benchmarks [-- [--rounds N] [--events N] [--quick] [--cold-start] [--no-analyze] [--dir PATH]]
//        dotnet run -c Release --project tests/Ledger.Benchmarks -- --import N (generate + import of N enterprises)
//        dotnet run -c Release --project tests/Ledger.Benchmarks -- --read-side [--events N] [--quick] [--explain] [--no-analyze] [--dir PATH]
//        dotnet run -c Release --project tests/Ledger.Benchmarks -- --http [--seconds N] [--quick] [--dir PATH]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using JasperFx.Events;
using Ledger.Benchmarks;
using Ledger.EventStore;
using Ledger.EventStore.Embedded;
using Ledger.EventStore.Marten;
using Ledger.Testing;
using Marten;
using Npgsql;

const int ParallelWriters = 8;
const int ImportStreams = 200;
const string Usage =
    "usage: Ledger.Benchmarks [--rounds N (>= 3)] [--events N (>= 10, per round and scenario)] [--quick] [--cold-start] [--no-analyze] [--dir PATH]\n" +
    "       Ledger.Benchmarks --read-side [--events N (loaded, default 1,000,000)] [--quick] [--explain] [--no-analyze] [--dir PATH]\n" +
    "       Ledger.Benchmarks --http [--seconds N (per scenario, default 20)] [--quick] [--dir PATH]\n" +
    "       Ledger.Benchmarks --import N [--dir PATH]\n" +
    "  --quick       small sizes for a smoke run (3 rounds of 200 events unless given; --read-side: 20,000 events; --http: 3 s per scenario)\n" +
    "  --import N    generate N enterprises' import files and import them (national: 330000): time, events/s, peak RSS, against a binary COPY of the same events\n" +
    "  --read-side   reports (totals, histories, as-of totals) and the rebuild of the read tables over N events loaded\n" +
    "  --http        the HTTP API on a loopback port: GET /health, then request/approve/pay, then totals and histories, by 16 workers\n" +
    "  --explain     with --read-side: EXPLAIN ANALYZE of the report queries, custom and generic plans\n" +
    "  --cold-start  also time `ledger up --once` (builds src/Ledger.Cli in Release first)\n" +
    "  --no-analyze  skip the ANALYZE after the warm-up (fresh-database statistics, as right after `ledger up`)\n" +
    "  --dir PATH    parent folder of the temporary data folders (default: /var/lib as root, else the temp folder)";

int? rounds = null;
int? events = null;
var quick = false;
var coldStart = false;
var readSide = false;
int? importEnterprises = null;
var explain = false;
var http = false;
int? seconds = null;
var analyze = true;
string? parent = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r >= 3:
            rounds = r;
            i++;
            break;
        case "--events" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 10:
            events = n;
            i++;
            break;
        case "--quick":
            quick = true;
            break;
        case "--no-analyze":
            analyze = false;
            break;
        case "--cold-start":
            coldStart = true;
            break;
        case "--read-side":
            readSide = true;
            break;
        case "--import" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var e) && e >= 1:
            importEnterprises = e;
            i++;
            break;
        case "--explain":
            explain = true;
            break;
        case "--http":
            http = true;
            break;
        case "--seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var t) && t is >= 1 and <= 600:
            seconds = t;
            i++;
            break;
        case "--dir" when i + 1 < args.Length && Directory.Exists(args[i + 1]):
            parent = Path.GetFullPath(args[i + 1]);
            i++;
            break;
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"unknown or invalid argument '{args[i]}'\n{Usage}");
            return 2;
    }
}
if (OperatingSystem.IsWindows())
{
    Console.Error.WriteLine("the embedded PostgreSQL runs on Linux only");
    return 2;
}
var roundCount = rounds ?? (quick ? 3 : 5);
var eventCount = events ?? (quick ? 200 : 2_500);
// A batch scenario writes at least this many transactions per round, so a round is not one or two commits.
var minBatches = quick ? 3 : 10;
int BatchEvents(int batch) => Math.Max(eventCount, minBatches * batch);
var coldRuns = quick ? 3 : 5;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var clock = Stopwatch.StartNew();

string? cli = null;
if (coldStart)
{
    if (ColdStart.FindRepository() is { } repository)
    {
        cli = await ColdStart.BuildAsync(repository);
    }
    else
    {
        Console.WriteLine("up --once: not measured, Ledger.sln was not found above this program or the current directory");
    }
}

// As root the server runs as postgres, which must reach its folder: /var/lib (root's temp folder may be private).
var root = Path.Combine(parent ?? (Stats.IsRoot ? "/var/lib" : Path.GetTempPath()), $"ledger-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(root, Stats.IsRoot
    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
try
{
    int exit;
    var server = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = Path.Combine(root, "server"), Durable = true });
    try
    {
        exit = importEnterprises is { } importing
            ? await ImportBenchmark.RunAsync(server, importing, root, cancel.Token)
            : http
            ? await HttpBenchmark.RunAsync(server, new HttpOptions(seconds ?? (quick ? 3 : 20), quick ? 4 : 25), cancel.Token)
            : readSide
            ? await ReadSideBenchmark.RunAsync(server, new ReadSideOptions(events ?? (quick ? 20_000 : 1_000_000), analyze, explain), cancel.Token)
            : await AppendBenchmarkAsync(server, cancel.Token);
    }
    finally
    {
        server.Stop();
    }
    if (cli is not null)
    {
        Console.WriteLine();
        Console.WriteLine($"Cold start: dotnet {Path.GetFileName(cli)} up --once --data <fresh folder>, {coldRuns} runs each");
        foreach (var line in await ColdStart.MeasureAsync(cli, root, coldRuns, cancel.Token))
        {
            Console.WriteLine(line);
        }
    }
    Console.WriteLine($"Total time {clock.Elapsed.TotalMinutes:F1} min.");
    return exit;
}
catch (LedgerEnvironmentException e)
{
    Console.Error.WriteLine($"benchmark: {e.Message}");
    return 3;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.WriteLine("Interrupted.");
    return 130;
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"could not remove {root}: {e.Message}");
    }
}

async Task<int> AppendBenchmarkAsync(EmbeddedPostgres server, CancellationToken cancellationToken)
{
    string Connection(string database) =>
        new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;

    // The ledger's database, migrated as the ledger migrates it: the chain trigger is on.
    await LedgerDatabase.CreateDatabaseIfMissingAsync(server.ConnectionString, "bench_chain", cancellationToken);
    await using var chainDb = await LedgerDatabase.OpenAsync(Connection("bench_chain"), cancellationToken: cancellationToken);
    // The same migrations with the chain trigger dropped; raw_events beside its mt_events. LIKE ... INCLUDING ALL
    // copies columns, defaults, checks, the primary key and the indexes; PostgreSQL never copies triggers or foreign keys.
    await LedgerDatabase.CreateDatabaseIfMissingAsync(server.ConnectionString, "bench_nochain", cancellationToken);
    await using var plainDb = await LedgerDatabase.OpenAsync(Connection("bench_nochain"), cancellationToken: cancellationToken);
    await using (var setup = plainDb.Owner.CreateCommand(
        "DROP TRIGGER mt_events_chain ON mt_events; " +
        "CREATE TABLE raw_events (LIKE mt_events INCLUDING ALL); GRANT SELECT, INSERT ON raw_events TO ledger_app"))
    {
        await setup.ExecuteNonQueryAsync(cancellationToken);
    }

    var assembly = typeof(PaymentRecorded).Assembly;
    var types = EventTypeRegistry.FromAssemblies(assembly);
    var chainStore = TestStores.Create(chainDb, assembly);
    var plainStore = TestStores.Create(plainDb, assembly);
    var richMarten = DocumentStore.For(options =>
    {
        LedgerStoreOptions.Configure(options, plainDb.App, EventTypeRegistry.FromAssemblies(assembly));
        options.Events.AppendMode = EventAppendMode.Rich;
    });
    var richStore = new Ledger.EventStore.EventStore(richMarten, plainDb.App, types);
    try
    {
        var raw = new RawWriter("raw", plainDb.App, "raw_events", types);
        var marten = new StoreWriter("marten", plainStore);
        var chain = new StoreWriter("chain", chainStore);
        var quickMode = new StoreWriter("quick", plainStore);
        var richMode = new StoreWriter("rich", richStore);
        Writer[] three = [raw, marten, chain];
        var single = new Scenario("1 event/tx", new Shape(1, 1, 1), eventCount, three);
        var batch100 = new Scenario("100 events/tx", new Shape(100, 1, 1), BatchEvents(100), three);
        var batch1000 = new Scenario($"1,000 events/tx, {ImportStreams} streams", new Shape(1000, 1000 / ImportStreams, 1), BatchEvents(1000), three);
        var parallel = new Scenario($"{ParallelWriters} writers x 1 event/tx", new Shape(1, 1, ParallelWriters), eventCount, three);
        var richSingle = new Scenario("mode: 1 event/tx", single.Shape, single.Events, [quickMode, richMode], Optional: true);
        var richBatch = new Scenario($"mode: 1,000 events/tx", batch1000.Shape, batch1000.Events, [quickMode, richMode], Optional: true);
        Scenario[] main = [single, batch100, batch1000, parallel];

        string version, settings;
        await using (var show = chainDb.Owner.CreateCommand(
            "SELECT current_setting('server_version'), format('fsync %s, synchronous_commit %s, full_page_writes %s, wal_sync_method %s', " +
            "current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes'), current_setting('wal_sync_method'))"))
        await using (var reader = await show.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            version = reader.GetString(0);
            settings = reader.GetString(1);
        }
        Console.WriteLine($"Ledger append benchmark, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
        Console.WriteLine($"PostgreSQL {version} ({settings}), data in {server.DataRoot} ({Stats.FileSystemOf(server.DataRoot)})");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, Marten {typeof(DocumentStore).Assembly.GetName().Version}");
        Console.WriteLine($"Per round and contender: {eventCount:N0} events (batch scenarios at least {minBatches} transactions: " +
            $"{batch100.Events:N0} and {batch1000.Events:N0}); median of {roundCount} interleaved rounds after a warm-up" +
            (analyze ? " and ANALYZE" : " (no ANALYZE: fresh-database statistics)"));
        Console.WriteLine("raw: plain INSERTs into raw_events (LIKE mt_events); marten: EventStore.AppendAsync/AppendBatchAsync, chain trigger dropped;");
        Console.WriteLine("chain: the same on the ledger's database, as migrated (Marten + hash chain). All new streams, no idempotency key.");
        Console.WriteLine();

        // Statistics, as autovacuum keeps them on a running ledger: a fresh database has none, and until its first ANALYZE
        // the planner may cache plans (the chain trigger's among them) that scan whole tables. ANALYZE also invalidates them.
        async Task AnalyzeAsync()
        {
            if (!analyze)
            {
                return;
            }
            foreach (var db in new[] { chainDb, plainDb })
            {
                await using var command = db.Owner.CreateCommand("ANALYZE");
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        var measured = new Rounds([.. main, richSingle, richBatch], roundCount, Math.Max(100, eventCount / 5), AnalyzeAsync, cancellationToken);
        await measured.RunAsync();

        double Rate(Scenario s, Writer w) => measured.Median(s, w) ?? double.NaN;
        // The chain's cost is judged on the paired ratio: chain and marten ran back to back in every round.
        double Paired(Scenario s) => measured.PairedRatio(s, chain, marten) ?? double.NaN;
        var chainParallelRatio = Rate(parallel, chain) / Rate(single, chain);
        var targets = new Dictionary<Scenario, (string Text, bool Met)>
        {
            [single] = ("chain/marten >= 0.70", Paired(single) >= 0.70),
            [batch1000] = ("chain/marten >= 0.85", Paired(batch1000) >= 0.85),
            [parallel] = ($"{ParallelWriters}w/1w chain >= 0.80", chainParallelRatio >= 0.80),
        };

        Console.WriteLine();
        Console.WriteLine($"{"scenario",-30} {"raw ev/s",9} {"marten ev/s",11} {"chain ev/s",10} {"chain/marten",12} {"paired",6} {"chain/raw",9}  {"target (paired)",-22} met");
        foreach (var s in main)
        {
            var (text, met) = targets.TryGetValue(s, out var t) ? (t.Text, t.Met ? "yes" : "NO") : ("-", "-");
            Console.WriteLine($"{s.Name,-30} {Rate(s, raw),9:N0} {Rate(s, marten),11:N0} {Rate(s, chain),10:N0} " +
                $"{Rate(s, chain) / Rate(s, marten),12:F2} {Paired(s),6:F2} {Rate(s, chain) / Rate(s, raw),9:F2}  {text,-22} {met}");
        }
        Console.WriteLine("chain/marten: ratio of the medians; paired: median over rounds of chain's rate / marten's in the same round.");
        Console.WriteLine($"{ParallelWriters} writers / 1 writer: raw {Rate(parallel, raw) / Rate(single, raw):F2}, " +
            $"marten {Rate(parallel, marten) / Rate(single, marten):F2}, chain {chainParallelRatio:F2} (target: chain >= 0.80)");
        var missed = targets.Where(t => !t.Value.Met).Select(t => t.Key.Name).ToList();
        Console.WriteLine(missed.Count == 0 ? "Targets: all met." : $"Targets: missed for {string.Join("; ", missed)}.");

        Console.WriteLine();
        Console.WriteLine($"{"Marten append mode, no chain",-30} {"Quick ev/s",10} {"Rich ev/s",10} {"Rich/Quick",10}");
        foreach (var s in new[] { richSingle, richBatch })
        {
            if (measured.Dropped.FirstOrDefault(d => d.Scenario == s) is { Scenario: not null } dropped)
            {
                Console.WriteLine($"{s.Name,-30} {Rate(s, quickMode),10:N0} {"failed",10}  {dropped.Reason}");
                continue;
            }
            Console.WriteLine($"{s.Name,-30} {Rate(s, quickMode),10:N0} {Rate(s, richMode),10:N0} {Rate(s, richMode) / Rate(s, quickMode),10:F2}");
        }

        Console.WriteLine();
        var ok = await CheckAsync(chainStore, chain, plainDb, [marten, quickMode, richMode], raw, cancellationToken);
        return ok ? 0 : 1;
    }
    finally
    {
        chainStore.Marten.Dispose();
        plainStore.Marten.Dispose();
        richMarten.Dispose();
    }
}

// The chained database must verify with every event linked; the other must hold no link at all.
static async Task<bool> CheckAsync(Ledger.EventStore.EventStore chainStore, Writer chain, LedgerDatabase plainDb, Writer[] plainWriters, Writer raw, CancellationToken cancellationToken)
{
    var verify = await chainStore.VerifyAsync(cancellationToken: cancellationToken);
    var ok = verify.Ok && verify.EventsChecked == chain.Written;
    Console.WriteLine(ok
        ? $"Chain verified: {verify.EventsChecked:N0} events checked, head position {verify.Head.Position:N0}, seq {verify.Head.Seq:N0}, hash {verify.Head.HashHex}."
        : $"Chain verification FAILED after {verify.EventsChecked:N0} of {chain.Written:N0} events: {verify.Reason ?? "event count differs from the number appended"}");
    await using var count = plainDb.App.CreateCommand(
        "SELECT (SELECT count(*) FROM mt_events), (SELECT count(*) FROM event_chain), (SELECT count(*) FROM raw_events)");
    await using var reader = await count.ExecuteReaderAsync(cancellationToken);
    await reader.ReadAsync(cancellationToken);
    var (events, links, rows) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    var expected = plainWriters.Sum(w => w.Written);
    var plainOk = events == expected && links == 0 && rows == raw.Written;
    Console.WriteLine(plainOk
        ? $"Database without the chain: {events:N0} events, no links; raw_events: {rows:N0} rows."
        : $"Database without the chain is NOT as expected: {events:N0} events (appended {expected:N0}), {links:N0} links (expected 0), raw_events {rows:N0} rows (written {raw.Written:N0}).");
    return ok && plainOk;
}
