using System.Data;
using System.Diagnostics;
using Ledger.EventStore;
using Ledger.ReadModels;
using Npgsql;

namespace Ledger.Benchmarks;

public static partial class ReadSideBenchmark
{
    private const string Scratch = "bench_scratch";

    /// <summary>The rebuild with its phases, and the limit measured beside it.</summary>
    private sealed record RebuildRun(
        RebuildResult Result, IReadOnlyList<(string Phase, double Seconds)> Phases,
        long Selected, double ColdSelectSeconds, double SelectSeconds, long Copied, double CopySeconds, long Events)
    {
        /// <summary>Events per second if the rebuild cost nothing but reading the log and writing its rows.</summary>
        public double LimitPerSecond => Events / (SelectSeconds + CopySeconds);
    }

    /// <summary>
    /// The limit's SELECT twice (the first warms the cache for it and for the rebuild alike), the rebuild, then the
    /// limit's COPY of as many rows per table as the rebuild wrote.
    /// </summary>
    private static async Task<RebuildRun> RebuildAsync(LedgerDatabase database, long events, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        var (selected, cold) = await SelectEveryEventAsync(database.Owner, cancellationToken);
        var (_, warm) = await SelectEveryEventAsync(database.Owner, cancellationToken);
        Console.WriteLine($"Limit, SELECT every event in chain order: {selected:N0} rows, {cold:F1} s cold, {warm:F1} s warm");

        var phases = new PhaseClock();
        var result = await new ReadModelRebuild(database.Owner, LedgerApp.EventTypes, ReadProjections.All).RunAsync(phases, cancellationToken);
        Console.WriteLine($"Rebuild: {result.Events:N0} events ({result.CaughtUp:N0} caught up) in {result.Elapsed.TotalSeconds:F1} s = {result.EventsPerSecond:N0} ev/s; " +
            string.Join(", ", result.Tables.Select(t => $"{t.Table} {t.Rows:N0}{(t.Identical ? "" : $" (missing {t.Missing}, extra {t.Extra})")}")));

        var (copied, copySeconds) = await CopyRowsAsync(database.Owner, result.Tables, cancellationToken);
        Console.WriteLine($"Limit, binary COPY of the same rows into plain tables: {copied:N0} rows in {copySeconds:F1} s");
        return new RebuildRun(result, phases.Durations(result.Elapsed), selected, cold, warm, copied, copySeconds, events);
    }

    /// <summary>What the rebuild's replay reads, read and nothing else: id, type and JSON of every event in chain order.</summary>
    private static async Task<(long Rows, double Seconds)> SelectEveryEventAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT e.id, e.type, e.data FROM event_chain c JOIN mt_events e ON e.seq_id = c.seq_id " +
            "WHERE c.position <= (SELECT coalesce(max(position), 0) FROM event_chain) ORDER BY c.position", connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            // Every column of every row reaches the client as the replay's would, as text; none is parsed.
            reader.GetGuid(0);
            reader.GetString(1);
            reader.GetString(2);
            rows++;
        }
        return (rows, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// For each rebuilt table, as many rows as the rebuild wrote, piped from the live table
    /// (<c>COPY … TO STDOUT (FORMAT BINARY)</c>) into a plain table of the same shape (<c>COPY … FROM STDIN (FORMAT BINARY)</c>).
    /// </summary>
    private static async Task<(long Rows, double Seconds)> CopyRowsAsync(NpgsqlDataSource owner, IReadOnlyList<TableComparison> tables, CancellationToken cancellationToken)
    {
        await using var source = await owner.OpenConnectionAsync(cancellationToken);
        await using var target = await owner.OpenConnectionAsync(cancellationToken);
        await Execute(target, $"DROP SCHEMA IF EXISTS {Scratch} CASCADE; CREATE SCHEMA {Scratch}", cancellationToken);
        long rows = 0;
        var elapsed = TimeSpan.Zero;
        foreach (var table in tables)
        {
            await Execute(target, $"CREATE TABLE {Scratch}.{table.Table} (LIKE public.{table.Table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", cancellationToken);
            var started = Stopwatch.GetTimestamp();
            await using (var output = await source.BeginRawBinaryCopyAsync(
                $"COPY (SELECT * FROM public.{table.Table} LIMIT {table.Rows}) TO STDOUT (FORMAT BINARY)", cancellationToken))
            await using (var input = await target.BeginRawBinaryCopyAsync($"COPY {Scratch}.{table.Table} FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                await output.CopyToAsync(input, cancellationToken);
            }
            elapsed += Stopwatch.GetElapsedTime(started);
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {Scratch}.{table.Table}", target);
            var copied = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (copied != table.Rows)
            {
                throw new InvalidOperationException($"{table.Table}: copied {copied:N0} rows, the rebuild wrote {table.Rows:N0}");
            }
            rows += copied;
        }
        await Execute(target, $"DROP SCHEMA {Scratch} CASCADE", cancellationToken);
        return (rows, elapsed.TotalSeconds);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>When each phase of the rebuild began, from its progress reports (called synchronously by the rebuild).</summary>
    private sealed class PhaseClock : IProgress<RebuildProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(string Phase, TimeSpan Start)> _starts = [("replay", TimeSpan.Zero)];

        public void Report(RebuildProgress value)
        {
            // "copy enterprises", "copy awards", … are one phase, which begins when the replay reports its last event.
            var phase = value.Phase == "replay" && value.Done >= value.Total ? "copy" : value.Phase.Split(' ')[0];
            if (_starts[^1].Phase != phase)
            {
                _starts.Add((phase, _clock.Elapsed));
            }
        }

        /// <summary>Each phase's length; the last runs to <paramref name="end"/> (the rebuild's own elapsed time).</summary>
        public IReadOnlyList<(string Phase, double Seconds)> Durations(TimeSpan end) =>
            [.. _starts.Select((s, i) => (Phase: s.Phase == "compare" ? "compare and swap" : s.Phase,
                    Seconds: ((i + 1 < _starts.Count ? _starts[i + 1].Start : end) - s.Start).TotalSeconds))
                .Where(p => p.Phase != "swapped")];
    }
}
