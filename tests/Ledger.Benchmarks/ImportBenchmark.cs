using System.Diagnostics;
using Ledger.EventStore;
using Ledger.EventStore.Embedded;
using Ledger.Imports.Generation;
using Ledger.Reference;
using Npgsql;

namespace Ledger.Benchmarks;

/// <summary>
/// <c>generate</c> + <c>import</c> at a given scale (national: 330,000 enterprises, about 3M events) on a durable private
/// server: the import's wall time, events/s and peak RSS, against the limit measured in the same run — a binary COPY of
/// the same event rows (<c>mt_events</c> out and into a table of the same shape), the cheapest way PostgreSQL takes them.
/// </summary>
public static class ImportBenchmark
{
    private const string Database = "bench_import";
    private static readonly TimeSpan Target = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(EmbeddedPostgres server, int enterprises, string root, CancellationToken cancellationToken)
    {
        var reference = ReferenceDataLoader.LoadDefault();
        var files = Path.Combine(root, "import-files");
        var generate = Stopwatch.StartNew();
        new ImportGenerator(reference, 1).Write(files, enterprises, null);
        Console.WriteLine($"generate --enterprises {enterprises:N0}: {generate.Elapsed.TotalSeconds:F1} s, " +
            string.Join(", ", Directory.GetFiles(files, "*.csv").Order().Select(f => $"{Path.GetFileName(f)} {File.ReadLines(f).Count() - 1:N0}")));

        await LedgerDatabase.CreateDatabaseIfMissingAsync(server.ConnectionString, Database, cancellationToken);
        await using var database = await LedgerDatabase.OpenAsync(
            new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Database }.ConnectionString, cancellationToken: cancellationToken);
        await using var app = await LedgerApp.StartAsync(database, reference,
            new LedgerAppOptions { TreasuryFolder = Path.Combine(server.DataRoot, "treasury") }, cancellationToken);

        var process = Process.GetCurrentProcess();
        process.Refresh();
        var rssBefore = process.PeakWorkingSet64;
        var import = Stopwatch.StartNew();
        var lastReport = Stopwatch.StartNew();
        var summary = await app.Importer.ImportAsync(files, new Caller("benchmark", "import"), new Progress(p =>
        {
            if (lastReport.Elapsed.TotalSeconds >= 30)
            {
                Console.WriteLine($"  {import.Elapsed.TotalSeconds,6:F0} s  {p.Phase} {p.Done:N0}/{p.Total:N0}");
                lastReport.Restart();
            }
        }), cancellationToken);
        import.Stop();
        process.Refresh();
        var peak = process.PeakWorkingSet64;
        var events = summary.NewEvents;
        var rate = events / import.Elapsed.TotalSeconds;
        Console.WriteLine($"import: {summary.Rows:N0} rows, {events:N0} events in {summary.Commits:N0} commits, {import.Elapsed.TotalMinutes:F2} min " +
            $"({rate:N0} events/s), peak RSS {peak / 1048576.0:N0} MB (before the import {rssBefore / 1048576.0:N0} MB)");

        // The limit: the same rows through binary COPY, out of mt_events and into a table of its shape, in one transaction.
        await using var owner = await database.Owner.OpenConnectionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("DROP TABLE IF EXISTS bench_copy; CREATE UNLOGGED TABLE bench_copy (LIKE mt_events)", owner))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var copy = Stopwatch.StartNew();
        var buffer = Path.Combine(root, "events.bin");
        await using (var file = File.Create(buffer))
        await using (var output = await owner.BeginRawBinaryCopyAsync("COPY mt_events TO STDOUT (FORMAT BINARY)", cancellationToken))
        {
            await output.CopyToAsync(file, cancellationToken);
        }
        await using (var file = File.OpenRead(buffer))
        await using (var input = await owner.BeginRawBinaryCopyAsync("COPY bench_copy FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            await file.CopyToAsync(input, cancellationToken);
        }
        copy.Stop();
        var copyRate = events / copy.Elapsed.TotalSeconds;
        Console.WriteLine($"binary COPY of the same {events:N0} event rows (out and in): {copy.Elapsed.TotalSeconds:F1} s ({copyRate:N0} events/s)");
        Console.WriteLine($"import / COPY: {rate / copyRate:F3} of the COPY rate; import wall time {import.Elapsed.TotalMinutes:F2} min against the target of " +
            $"{Target.TotalMinutes:F0} min: {(import.Elapsed <= Target ? "met" : "NOT met")}");
        File.Delete(buffer);
        return 0;
    }

    private sealed class Progress(Action<ReadModels.RebuildProgress> report) : IProgress<ReadModels.RebuildProgress>
    {
        public void Report(ReadModels.RebuildProgress value) => report(value);
    }
}
