// What the event store's guarantees (head lock, idempotency, version checks, gapless seq, hash chain)
// cost against plain INSERTs of the same rows into a table of the same shape, on a private server.
// Usage: dotnet run -c Release --project tests/Ledger.Benchmarks [--events N] [--no-fsync] [--concurrency]
// Default: a durable server, as the ledger runs; --no-fsync shows the CPU cost alone (commits no longer wait for the disk).
using System.Diagnostics;
using System.Runtime.InteropServices;
using Ledger.Benchmarks;
using Ledger.EventStore;
using Ledger.EventStore.Embedded;

const int Rounds = 3;
const int ParallelWriters = 8;
var events = 6_000;
var durable = true;
var concurrency = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--events" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n >= 1000:
            events = n;
            i++;
            break;
        case "--no-fsync":
            durable = false;
            break;
        case "--concurrency":
            concurrency = true;
            break;
        default:
            Console.Error.WriteLine("usage: Ledger.Benchmarks [--events N (>= 1000, per scenario and run)] [--no-fsync] [--concurrency]");
            return 2;
    }
}

var root = Path.Combine(Path.GetTempPath(), $"ledger-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
try
{
    await using var db = await LedgerDatabase.OpenAsync(new LedgerDatabaseOptions
    {
        Embedded = new EmbeddedPostgresOptions { DataRoot = root, Durable = durable },
        EmbeddedDatabase = "bench",
    });
    var w = await Writers.CreateAsync(db);
    string version;
    await using (var show = db.App.CreateCommand("SHOW server_version"))
    {
        version = (string)(await show.ExecuteScalarAsync())!;
    }

    Console.WriteLine($"Event store append benchmark, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
    Console.WriteLine($"PostgreSQL {version}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, " +
        (durable ? "durable (fsync on, synchronous_commit on)" : "non-durable (fsync off, synchronous_commit off)"));
    Console.WriteLine($"{events:N0} events per scenario and run, median of {Rounds} interleaved rounds after a warm-up");
    Console.WriteLine();

    (string Name, Func<IReadOnlyList<Sample>, Task> Ours, Func<IReadOnlyList<Sample>, Task> Limit, double? Target)[] scenarios = concurrency
        ? [($"{ParallelWriters} writers, single", r => Writers.Parallel(r, ParallelWriters, p => w.Ours(p, 1)), r => Writers.Parallel(r, ParallelWriters, p => w.Plain(p, 1)), null)]
        : [("single", r => w.Ours(r, 1), r => w.Plain(r, 1), 0.70),
           ("batch 100", r => w.Ours(r, 100), r => w.Plain(r, 100), 0.50),
           ("batch 1000", r => w.Ours(r, 1000), r => w.Plain(r, 1000), 0.50)];

    var results = new List<(string Name, double Ours, double Limit, double? Target)>();
    foreach (var (name, ours, limit, target) in scenarios)
    {
        var rates = await MeasureAsync(name, ours, limit);
        results.Add((name, rates[0], rates[1], target));
    }
    double? copy = concurrency ? null : (await MeasureAsync("COPY 1000", w.Copy))[0];

    Console.WriteLine();
    Console.WriteLine($"{"scenario",-20} {"ours events/s",14} {"limit events/s",15} {"ours/limit",11} {"target",8}  met");
    foreach (var (name, ours, limit, target) in results)
    {
        var met = target is null ? "-" : ours / limit >= target ? "yes" : "NO";
        Console.WriteLine($"{name,-20} {ours,14:N0} {limit,15:N0} {ours / limit,11:F2} {(target is null ? "-" : $">= {target:F2}"),8}  {met}");
    }
    if (copy is { } ceiling)
    {
        var best = results[^1].Ours;
        Console.WriteLine($"{"COPY 1000 (ceiling)",-20} {"",14} {ceiling,15:N0} {"",11}           ours batch 1000 / COPY = {best / ceiling:F2}");
    }
    var missed = results.Where(r => r.Target is { } t && r.Ours / r.Limit < t).Select(r => r.Name).ToList();
    if (results.Any(r => r.Target is not null))
    {
        Console.WriteLine(missed.Count == 0 ? "Targets: all met." : $"Targets: missed for {string.Join(", ", missed)}.");
    }

    var verify = await w.Store.VerifyAsync();
    if (!verify.Ok || verify.EventsChecked != w.OursAppended)
    {
        Console.WriteLine($"Chain verification FAILED after {verify.EventsChecked:N0} of {w.OursAppended:N0} events: " +
            (verify.Reason ?? "event count differs from the number appended"));
        return 1;
    }
    Console.WriteLine($"Chain verified: {verify.EventsChecked:N0} events, head seq {verify.Head.Seq:N0}.");
    return 0;

    // Each contender writes a warm-up, then the rounds; every round writes fresh samples, the same for
    // every contender. The order flips each round (AB, BA, AB) so drift such as the tables growing
    // hits all contenders alike. Returns each contender's median rate in events per second.
    async Task<double[]> MeasureAsync(string name, params Func<IReadOnlyList<Sample>, Task>[] contenders)
    {
        foreach (var contender in contenders)
        {
            await contender(Writers.Samples(Math.Max(1000, events / 10)));
        }
        var rates = contenders.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            var samples = Writers.Samples(events);
            var order = Enumerable.Range(0, contenders.Length).ToArray();
            if (round % 2 == 1)
            {
                Array.Reverse(order);
            }
            foreach (var c in order)
            {
                var started = Stopwatch.GetTimestamp();
                await contenders[c](samples);
                rates[c].Add(samples.Length / Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            Console.WriteLine($"  {name,-20} round {round + 1}: {string.Join("  ", rates.Select(r => $"{r[^1],10:N0}"))} events/s");
        }
        return rates.Select(r => r.Order().ElementAt(r.Count / 2)).ToArray();
    }
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        // Nothing to remove when the server never started; a leftover temp folder is harmless anyway.
    }
}
