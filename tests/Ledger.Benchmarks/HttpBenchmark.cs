using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ledger.Api;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.EventStore.Embedded;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Reference;
using Microsoft.AspNetCore.Builder;
using NodaTime;
using Npgsql;

namespace Ledger.Benchmarks;

/// <summary>How the HTTP benchmark runs.</summary>
/// <param name="Seconds">Measured seconds per scenario (after a warm-up).</param>
/// <param name="AwardsPerWorker">Awards each worker's county holds; the command mix cycles through them so no award stream grows long.</param>
public sealed record HttpOptions(int Seconds, int AwardsPerWorker);

/// <summary>
/// The HTTP API under load, in one run on a durable private server: the ledger's web host on a loopback port, and
/// <see cref="Workers"/> HttpClient workers in this process, each for N seconds per scenario: <c>GET /health</c> as the
/// ceiling of this host and machine, the command mix (request, approval by a second user, payment, each with its own
/// Idempotency-Key), and the read mix (totals and enterprise histories). Each worker works in a county of its own (its
/// own policy, budget line and users), as county bureaus do, so the figures are the API's and not one budget line's.
/// </summary>
public static class HttpBenchmark
{
    public const int Workers = 16;

    private const string Database = "bench_http";
    private const double CommandsTarget = 500;
    private const double CommandsP99Target = 100;
    private const double ReadsTarget = 3_000;
    private const double ReadsP99Target = 20;

    public static async Task<int> RunAsync(EmbeddedPostgres server, HttpOptions options, CancellationToken cancellationToken)
    {
        await LedgerDatabase.CreateDatabaseIfMissingAsync(server.ConnectionString, Database, cancellationToken);
        await using var database = await LedgerDatabase.OpenAsync(
            new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Database }.ConnectionString, cancellationToken: cancellationToken);
        var reference = ReferenceDataLoader.LoadDefault();
        await using var web = LedgerApi.Build(database, reference,
            new LedgerAppOptions { TreasuryFolder = Path.Combine(server.DataRoot, "treasury") }, "http://127.0.0.1:0");
        await web.StartAsync(cancellationToken);
        try
        {
            var url = new Uri(web.Urls.First());
            await PrintMachineAsync(database, server, url, options, cancellationToken);
            var clock = Stopwatch.StartNew();
            var counties = await SeedAsync(LedgerApi.Ledger(web), database, reference, options, cancellationToken);
            Console.WriteLine($"Seeded in {clock.Elapsed.TotalSeconds:F1} s: {counties.Count} counties ({string.Join(", ", counties.Select(c => c.Code))}), " +
                $"each a county policy, a {Budget:N0} 元 budget line for {Year}, {options.AwardsPerWorker} awards of 300,000 元 and a clerk, an approver and a bureau head");
            // Statistics, as autovacuum keeps them on a running ledger: a database seconds old has none, and a connection
            // that caches a generic plan before the first ANALYZE keeps it (the fold query then scans all of mt_events on
            // one command in six). ANALYZE also invalidates those plans.
            await using (var analyze = database.Owner.CreateCommand("ANALYZE"))
            {
                await analyze.ExecuteNonQueryAsync(cancellationToken);
            }
            Console.WriteLine("Then ANALYZE, as autovacuum would have by now on a running ledger");
            var warmUp = TimeSpan.FromSeconds(Math.Clamp(options.Seconds / 5.0, 0.5, 3));
            Console.WriteLine($"Each scenario: at least {warmUp.TotalSeconds:F1} s warm-up (longer while the JIT is still compiling), then {options.Seconds} s measured, {Workers} workers (one HttpClient each, keep-alive)");
            Console.WriteLine();

            var clients = counties.Select(_ => new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) }).ToArray();
            try
            {
                var health = await MeasureAsync("GET /health", clients, counties, warmUp, options.Seconds, HealthAsync, cancellationToken);
                var commands = await MeasureAsync("commands", clients, counties, warmUp, options.Seconds, CommandCycleAsync, cancellationToken);
                var reads = await MeasureAsync("reads", clients, counties, warmUp, options.Seconds, ReadCycleAsync, cancellationToken);
                Console.WriteLine();
                PrintTable(health, commands, reads);
                Console.WriteLine();
                return await CheckAsync(database, LedgerApi.Ledger(web), counties, cancellationToken) ? 0 : 1;
            }
            finally
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }
        }
        finally
        {
            await web.StopAsync(CancellationToken.None);
        }
    }

    private static readonly int Year = ChinaTime.DateOf(SystemClock.Instance.GetCurrentInstant()).Year;

    private const decimal Budget = 1_000_000_000m;

    /// <summary>A worker's county: its tokens, its awards and enterprises, and what its commands have left to do.</summary>
    private sealed class County(string code, string clerk, string approver, string head, IReadOnlyList<(Guid Award, string Uscc)> awards, LocalDate valueDate)
    {
        public string Code { get; } = code;

        /// <summary>The payments' value date: the last working day up to today in China (the treasury settles on no other).</summary>
        public LocalDate ValueDate { get; } = valueDate;

        public string Clerk { get; } = clerk;

        public string Approver { get; } = approver;

        public string Head { get; } = head;

        public IReadOnlyList<(Guid Award, string Uscc)> Awards { get; } = awards;

        public int Next;

        /// <summary>Payments the command mix got 200 for (warm-up included): the ledger must hold exactly these.</summary>
        public int Paid;
    }

    /// <summary>Sends one request and times it; answers its status, or null when it failed (another status than expected, or no answer).</summary>
    private delegate Task<HttpStatusCode?> Timed(string kind, Func<Task<HttpStatusCode>> send, HttpStatusCode expected);

    /// <summary>One round of a scenario for one worker; <paramref name="over"/> says when to stop between its requests.</summary>
    private delegate Task Cycle(HttpClient client, County county, Func<bool> over, Timed timed);

    /// <summary>One timed request: what it was, how long it took, and whether it failed (a status other than expected, or no answer).</summary>
    private readonly record struct Timing(string Kind, double Milliseconds, bool Failed);

    private sealed record Result(string Name, double Seconds, IReadOnlyList<Timing> Timings, IReadOnlyDictionary<string, int> Failures)
    {
        public int Requests => Timings.Count;

        public double Rate => Requests / Seconds;

        public int Errors => Timings.Count(t => t.Failed);

        public double P(double percent, string? kind = null) =>
            Stats.Percentile([.. Timings.Where(t => kind is null || t.Kind == kind).Select(t => t.Milliseconds)], percent);
    }

    /// <summary>Counties of Jiangsu in code order: distinct budget lines, policies and scopes for the workers.</summary>
    private static async Task<List<County>> SeedAsync(LedgerApp app, LedgerDatabase database, ReferenceData reference, HttpOptions options, CancellationToken cancellationToken)
    {
        var codes = reference.Divisions.Values
            .Where(d => d.Level == DivisionLevel.County && d.Code.StartsWith("32", StringComparison.Ordinal) && d.EndedOn is null)
            .OrderBy(d => d.Code, StringComparer.Ordinal).Take(Workers).ToList();
        var users = new ApiUsers(database.App, reference, SystemClock.Instance);
        var admin = new Caller("bench-admin", "admin");
        var clerk = new Caller("bench-seed-clerk", "clerk");
        var serial = 0;
        var counties = new List<County>();
        foreach (var division in codes)
        {
            var terms = new PolicyDraft("专精特新奖励", $"{division.Name}〔2021〕1号", new LocalDate(2021, 1, 1), new LocalDate(2021, 1, 1), null,
                [new RuleDraft("provincial-srdi", AwardTrigger.Recognition, 300000m, AmountKind.UpTo)], Stacking.HighestOnly,
                [new FundingShare(FundingLevel.County, 100m)], 5, null);
            await app.SendAsync(new IssueAwardPolicy(division.Code, division.Name, terms, "", default), admin, cancellationToken);
            await app.SendAsync(new AppropriateBudget(new BudgetLineKey(division.Code, Year, FundingLevel.County), Budget, "", default), admin, cancellationToken);
            var province = division.Code[..2] + "0000";
            var authority = new RecognisingAuthority(province, reference.FindDivision(province)!.Name);
            var awards = new List<(Guid, string)>();
            for (var i = 0; i < options.AwardsPerWorker; i++)
            {
                var n = ++serial;
                var first17 = $"91{division.Code}MB{n:D7}";
                var uscc = first17 + Uscc.CheckCharacter(first17);
                var enterprise = await app.SendAsync(new RegisterEnterprise(uscc, $"压测精密机械{n}有限公司", division.Code, "制造业",
                    new BankAccount("中国工商银行", $"压测精密机械{n}有限公司", $"62220201{n:D11}"), "", default), clerk, cancellationToken);
                var designation = await app.SendAsync(new RecognizeDesignation(enterprise, "provincial-srdi", authority, $"省工信〔2022〕{n}号",
                    new LocalDate(2022, 1, 20), null, null, null, "", default, new HistoricalImport("http-benchmark")), clerk, cancellationToken);
                var account = (await app.Awards.AccountsAsync("designation_id = $1", cancellationToken, designation)).Single();
                awards.Add((account.Award.Id, uscc));
            }
            var today = ChinaTime.DateOf(SystemClock.Instance.GetCurrentInstant());
            var valueDate = reference.Calendar.IsWorkingDay(today) ? today : reference.Calendar.PreviousWorkingDay(today) ?? today;
            counties.Add(new County(division.Code,
                (await users.AddAsync($"bench-clerk-{division.Code}", "clerk", division.Code, 1, cancellationToken)).Token,
                (await users.AddAsync($"bench-approver-{division.Code}", "approver", division.Code, 1, cancellationToken)).Token,
                (await users.AddAsync($"bench-head-{division.Code}", "bureau-head", division.Code, 1, cancellationToken)).Token,
                awards, valueDate));
        }
        return counties;
    }

    /// <summary>Warm-up, then every worker runs <paramref name="cycle"/> until the measured seconds are over; a cycle that has begun finishes its request.</summary>
    private static async Task<Result> MeasureAsync(string name, HttpClient[] clients, List<County> counties, TimeSpan warmUp, int seconds,
        Cycle cycle,
        CancellationToken cancellationToken)
    {
        // Warm-up until the JIT has settled: a server that has run for a while has compiled its hot paths at their final
        // tier, and a few seconds after a path is first taken the JIT is still recompiling it (a tenth of the machine's
        // CPU in a 3 s warm-up of the command mix). At least warmUp, then a second at a time while the last second spent
        // more than 20 ms compiling, for at most 10 times warmUp.
        var warming = Stopwatch.StartNew();
        await RunAsync(clients, counties, warmUp, cycle, timings: null, failures: null, cancellationToken);
        TimeSpan compiling;
        do
        {
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            await RunAsync(clients, counties, TimeSpan.FromSeconds(1), cycle, timings: null, failures: null, cancellationToken);
            compiling = System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
        }
        while (compiling > TimeSpan.FromMilliseconds(20) && warming.Elapsed < warmUp * 10 && !cancellationToken.IsCancellationRequested);
        var warmedFor = warming.Elapsed;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var timings = clients.Select(_ => new List<Timing>()).ToArray();
        var failures = new Dictionary<string, int>();
        var jitAtStart = System.Runtime.JitInfo.GetCompilationTime();
        var elapsed = await RunAsync(clients, counties, TimeSpan.FromSeconds(seconds), cycle, timings, failures, cancellationToken);
        var jitMeasured = System.Runtime.JitInfo.GetCompilationTime() - jitAtStart;
        var result = new Result(name, elapsed.TotalSeconds, [.. timings.SelectMany(t => t)], failures);
        Console.WriteLine($"  {name,-12} {result.Requests,8:N0} requests in {result.Seconds:F1} s after {warmedFor.TotalSeconds:F1} s warm-up " +
            $"(JIT {compiling.TotalMilliseconds:F0} ms in its last second, {jitMeasured.TotalMilliseconds:F0} ms while measured), {result.Errors:N0} errors" +
            (failures.Count == 0 ? "" : $" ({string.Join("; ", failures.OrderByDescending(f => f.Value).Take(5).Select(f => $"{f.Value} x {f.Key}"))})"));
        return result;
    }

    private static async Task<TimeSpan> RunAsync(HttpClient[] clients, List<County> counties, TimeSpan duration,
        Cycle cycle,
        List<Timing>[]? timings, Dictionary<string, int>? failures, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        bool Over() => Stopwatch.GetTimestamp() >= deadline || cancellationToken.IsCancellationRequested;
        await Task.WhenAll(clients.Select((client, w) => Task.Run(async () =>
        {
            async Task<HttpStatusCode?> TimedAsync(string kind, Func<Task<HttpStatusCode>> send, HttpStatusCode expected)
            {
                var begin = Stopwatch.GetTimestamp();
                HttpStatusCode? status = null;
                string? failure = null;
                try
                {
                    status = await send();
                    failure = status == expected ? null : $"{kind} {(int)status}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failure = $"{kind} {e.GetType().Name}";
                }
                var milliseconds = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                timings?[w].Add(new Timing(kind, milliseconds, failure is not null));
                if (failure is not null && failures is not null)
                {
                    lock (failures)
                    {
                        failures[failure] = failures.GetValueOrDefault(failure) + 1;
                    }
                }
                return failure is null ? status : null;
            }
            while (!Over())
            {
                await cycle(client, counties[w], Over, TimedAsync);
            }
        }, cancellationToken)));
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task HealthAsync(HttpClient client, County county, Func<bool> over,
        Timed timed) =>
        await timed("health", () => StatusAsync(client, HttpMethod.Get, "/health", null, null), HttpStatusCode.OK);

    /// <summary>Request 1.00 元 of the next award, approve it as the county's approver, pay it as the clerk, each a new Idempotency-Key.</summary>
    private static async Task CommandCycleAsync(HttpClient client, County county, Func<bool> over,
        Timed timed)
    {
        var (award, _) = county.Awards[county.Next++ % county.Awards.Count];
        Guid? id = null;
        await timed("request", async () =>
        {
            using var response = await SendAsync(client, HttpMethod.Post, "/api/disbursements", county.Clerk,
                new { awardId = award, amount = "1.00", level = "county", plannedYear = Year });
            if (response.StatusCode == HttpStatusCode.Created)
            {
                id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            }
            return response.StatusCode;
        }, HttpStatusCode.Created);
        if (id is null || over())
        {
            return;
        }
        if (await timed("approve", () => StatusAsync(client, HttpMethod.Post, $"/api/disbursements/{id}/approve", county.Approver, null), HttpStatusCode.OK) is null
            || over())
        {
            return;
        }
        if (await timed("pay", () => StatusAsync(client, HttpMethod.Post, $"/api/disbursements/{id}/pay", county.Clerk,
                new { voucherNo = $"B{county.Code}-{id:N}"[..30], valueDate = county.ValueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }), HttpStatusCode.OK) is not null)
        {
            county.Paid++;
        }
    }

    /// <summary>The county's totals for the year, then the history of one of its enterprises, as its bureau head.</summary>
    private static async Task ReadCycleAsync(HttpClient client, County county, Func<bool> over,
        Timed timed)
    {
        await timed("totals", () => StatusAsync(client, HttpMethod.Get, $"/api/reports/totals?year={Year}&jurisdiction={county.Code}", county.Head, null),
            HttpStatusCode.OK);
        if (over())
        {
            return;
        }
        var (_, uscc) = county.Awards[county.Next++ % county.Awards.Count];
        await timed("history", () => StatusAsync(client, HttpMethod.Get, $"/api/enterprises/{uscc}/history", county.Head, null), HttpStatusCode.OK);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string path, string? token, object? body)
    {
        using var response = await SendAsync(client, method, path, token, body);
        // Read the whole answer: a client waits for it, and the connection is reused only once it is consumed.
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            request.Content = body is null ? new ByteArrayContent([]) : JsonContent.Create(body);
        }
        return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    }

    private static void PrintTable(Result health, Result commands, Result reads)
    {
        Console.WriteLine($"{"scenario",-22} {"requests",9} {"req/s",8} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"errors",6}  " +
            $"{"req/s÷health",12} {"p50÷health",10} {"p99÷health",10}  {"target",-36} met");
        Line(health, null, health, "(the ceiling of this host and machine)", null);
        Line(commands, null, health, $">= {CommandsTarget:N0}/s, p99 < {CommandsP99Target} ms, 0 errors",
            commands.Rate >= CommandsTarget && commands.P(99) < CommandsP99Target && commands.Errors == 0);
        foreach (var kind in new[] { "request", "approve", "pay" })
        {
            Line(commands, kind, health, "", null);
        }
        Line(reads, null, health, $">= {ReadsTarget:N0}/s, p99 < {ReadsP99Target} ms, 0 errors",
            reads.Rate >= ReadsTarget && reads.P(99) < ReadsP99Target && reads.Errors == 0);
        foreach (var kind in new[] { "totals", "history" })
        {
            Line(reads, kind, health, "", null);
        }
        Console.WriteLine("Commands are HTTP requests (request, approve, pay each count one); req/s ÷ health and p50/p99 ÷ health compare with GET /health " +
            "measured in the same run, so a busier or quieter machine moves both.");
    }

    private static void Line(Result result, string? kind, Result health, string target, bool? met)
    {
        var requests = kind is null ? result.Requests : result.Timings.Count(t => t.Kind == kind);
        var errors = kind is null ? result.Errors : result.Timings.Count(t => t.Kind == kind && t.Failed);
        var rate = requests / result.Seconds;
        var name = kind is null ? result.Name : "  " + kind;
        if (requests == 0)
        {
            Console.WriteLine($"{name,-22} {0,9:N0}");
            return;
        }
        var (p50, p95, p99) = (result.P(50, kind), result.P(95, kind), result.P(99, kind));
        Console.WriteLine($"{name,-22} {requests,9:N0} {rate,8:N0} {p50,7:F1} {p95,7:F1} {p99,7:F1} {errors,6:N0}  " +
            $"{rate / health.Rate,12:F3} {p50 / health.P(50),10:F1} {p99 / health.P(99),10:F1}  {target,-36} {(met is { } m ? m ? "yes" : "NO" : "")}");
    }

    /// <summary>The chain verifies, and each county's line holds exactly the payments the command mix was answered 200 for.</summary>
    private static async Task<bool> CheckAsync(LedgerDatabase database, LedgerApp app, List<County> counties, CancellationToken cancellationToken)
    {
        var verify = await app.Store.VerifyAsync(cancellationToken: cancellationToken);
        Console.WriteLine(verify.Ok
            ? $"Chain verified: {verify.EventsChecked:N0} events, head position {verify.Head.Position:N0}."
            : $"Chain verification FAILED: {verify.Reason}");
        var ok = verify.Ok;
        await using var command = database.Owner.CreateCommand(
            "SELECT a.county_code, count(*)::int FROM mt_events e JOIN awards a ON a.award_id = e.stream_id WHERE e.type = 'disbursement-paid' GROUP BY a.county_code");
        var paid = new Dictionary<string, int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                paid[reader.GetString(0)] = reader.GetInt32(1);
            }
        }
        var wrong = counties.Where(c => paid.GetValueOrDefault(c.Code) != c.Paid).Select(c => $"{c.Code}: {paid.GetValueOrDefault(c.Code)} in the ledger, {c.Paid} answered").ToList();
        Console.WriteLine(wrong.Count == 0
            ? $"Payments: {counties.Sum(c => c.Paid):N0} answered 200, as many in the ledger."
            : $"Payments DIFFER from the answers: {string.Join("; ", wrong)}");
        return ok && wrong.Count == 0;
    }

    private static async Task PrintMachineAsync(LedgerDatabase database, EmbeddedPostgres server, Uri url, HttpOptions options, CancellationToken cancellationToken)
    {
        await using var show = database.Owner.CreateCommand(
            "SELECT current_setting('server_version'), format('fsync %s, synchronous_commit %s, shared_buffers %s, max_connections %s', " +
            "current_setting('fsync'), current_setting('synchronous_commit'), current_setting('shared_buffers'), current_setting('max_connections'))");
        await using var reader = await show.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        Console.WriteLine($"Ledger HTTP benchmark, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
        Console.WriteLine($"PostgreSQL {reader.GetString(0)} ({reader.GetString(1)}), data in {server.DataRoot} ({Stats.FileSystemOf(server.DataRoot)})");
        Console.WriteLine($"{Environment.ProcessorCount} cores shared by the server, the web host and the clients; {RuntimeInformation.FrameworkDescription}; " +
            $"Kestrel on {url} (loopback); {Workers} workers x {options.Seconds} s per scenario");
        // The web host runs in this process, so it runs with this process's JIT settings; ops/ledger.service runs
        // `ledger up` with DOTNET_TieredPGO=0 and DOTNET_TC_QuickJit=0.
        var quickJit = Environment.GetEnvironmentVariable("DOTNET_TC_QuickJit");
        var pgo = Environment.GetEnvironmentVariable("DOTNET_TieredPGO");
        Console.WriteLine(quickJit == "0" && pgo == "0"
            ? "JIT: every method fully optimised on its first call (DOTNET_TC_QuickJit=0, DOTNET_TieredPGO=0), as ops/ledger.service runs `ledger up`"
            : $"JIT: .NET's default tiering (DOTNET_TC_QuickJit={quickJit ?? "unset"}, DOTNET_TieredPGO={pgo ?? "unset"}), as short `ledger` commands run; " +
              "ops/ledger.service runs `ledger up` with both 0");
    }
}
