using System.Globalization;
using Ledger.EventStore;
using NodaTime;
using NodaTime.Text;
using Npgsql;

namespace Ledger.Benchmarks;

public static partial class ReadSideBenchmark
{
    // The report queries as ReportReader sends them for a county-year on the paid basis by county, and an enterprise's
    // history (src/Ledger/Reports/ReportReader*.cs), copied here so the plans can be shown. Keep them in step.
    private const string AsOfJoin = "JOIN mt_events e ON e.id = m.event_id JOIN event_chain c ON c.seq_id = e.seq_id";
    private const string Where = "m.fiscal_year = $1 AND m.county_code = ANY($2) AND ($3::text[] IS NULL OR m.issuer_code = ANY($3))";
    private const string MeasureSums =
        "coalesce(sum(m.amount) FILTER (WHERE m.measure = 'determined'), 0), coalesce(sum(m.amount) FILTER (WHERE m.measure = 'reserved'), 0), " +
        "coalesce(sum(m.amount) FILTER (WHERE m.measure = 'paid'), 0), coalesce(sum(m.amount) FILTER (WHERE m.measure = 'returned'), 0), " +
        "coalesce(sum(m.amount) FILTER (WHERE m.measure = 'clawed_back'), 0), coalesce(sum(m.amount) FILTER (WHERE m.measure = 'repaid'), 0)";

    private static readonly (string Name, string Types, string Sql)[] Queries =
    [
        ("point now", "", "SELECT coalesce(max(position), 0) FROM event_chain"),
        ("(a) totals: sums", "int, text[], text[], bigint",
            "SELECT county_code, sum(determined), sum(reserved), sum(paid), sum(returned), sum(clawed_back), sum(repaid) FROM annual_totals " +
            "WHERE fiscal_year = $1 AND county_code = ANY($2) AND ($3::text[] IS NULL OR issuer_code = ANY($3)) GROUP BY GROUPING SETS ((county_code), ())"),
        ("(a) totals: counts", "int, text[], text[], bigint",
            $"SELECT m.county_code, count(DISTINCT m.enterprise_id), count(DISTINCT m.award_id) FROM award_movements m WHERE {Where} " +
            "AND m.measure = 'paid' GROUP BY GROUPING SETS ((m.county_code), ())"),
        ("(b) history: enterprise", "uuid", "SELECT name, county_code FROM enterprises WHERE enterprise_id = $1"),
        ("(b) history: lines", "uuid, bigint",
            "SELECT h.kind, h.business_date, h.amount, h.tier, h.designation_id, h.award_id, h.disbursement_id, h.valid_to, h.county_code, " +
            "h.detail, coalesce(e.user_name, ''), h.event_id, e.seq_id, c.position, c.chained_at " +
            "FROM award_history h JOIN mt_events e ON e.id = h.event_id JOIN event_chain c ON c.seq_id = e.seq_id " +
            "WHERE h.enterprise_id = $1 AND c.position <= $2 ORDER BY c.position"),
        ("(c) as-of: position of the instant", "timestamptz",
            "SELECT coalesce((SELECT position FROM event_chain WHERE chained_at <= least($1, clock_timestamp()) " +
            "ORDER BY chained_at DESC, position DESC LIMIT 1), 0)"),
        ("(c) as-of: sums", "int, text[], text[], bigint",
            $"SELECT m.county_code, {MeasureSums} FROM award_movements m {AsOfJoin} WHERE {Where} AND c.position <= $4 " +
            "GROUP BY GROUPING SETS ((m.county_code), ())"),
        ("(c) as-of: counts", "int, text[], text[], bigint",
            $"SELECT m.county_code, count(DISTINCT m.enterprise_id), count(DISTINCT m.award_id) FROM award_movements m {AsOfJoin} " +
            $"WHERE {Where} AND m.measure = 'paid' AND c.position <= $4 GROUP BY GROUPING SETS ((m.county_code), ())"),
    ];

    /// <summary>
    /// EXPLAIN (ANALYZE, BUFFERS) of every report query for the busiest county-year and the longest history, as a custom
    /// plan and as the generic plan PostgreSQL may switch to after five executions of a prepared statement (Npgsql
    /// prepares the ledger's statements automatically after two uses).
    /// </summary>
    private static async Task ExplainAsync(LedgerDatabase database, long position, Instant asOf, CancellationToken cancellationToken)
    {
        var now = await ScalarAsync(database, "SELECT coalesce(max(position), 0) FROM event_chain", cancellationToken);
        int year;
        string county;
        Guid enterprise;
        await using (var busiest = database.App.CreateCommand(
            "SELECT fiscal_year, county_code FROM award_movements GROUP BY fiscal_year, county_code ORDER BY count(*) DESC LIMIT 1"))
        await using (var reader = await busiest.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (year, county) = (reader.GetInt32(0), reader.GetString(1));
        }
        await using (var longest = database.App.CreateCommand(
            "SELECT enterprise_id FROM award_history GROUP BY enterprise_id ORDER BY count(*) DESC LIMIT 1"))
        {
            enterprise = (Guid)(await longest.ExecuteScalarAsync(cancellationToken))!;
        }
        string Arguments(string types, long at) => types switch
        {
            "" => "",
            "uuid" => $"('{enterprise}')",
            "uuid, bigint" => $"('{enterprise}', {at})",
            "timestamptz" => $"('{InstantPattern.ExtendedIso.Format(asOf)}')",
            _ => string.Create(CultureInfo.InvariantCulture, $"({year}, '{{{county}}}', NULL, {at})"),
        };
        Console.WriteLine();
        Console.WriteLine($"EXPLAIN (ANALYZE, BUFFERS) for the busiest county-year, {county} {year}, the longest history, enterprise {enterprise}, " +
            $"as of position {position:N0} (now {now:N0})");
        await using var connection = await database.App.OpenConnectionAsync(cancellationToken);
        for (var q = 0; q < Queries.Length; q++)
        {
            var (name, types, sql) = Queries[q];
            var at = name.StartsWith("(c)", StringComparison.Ordinal) ? position : now;
            var prepared = $"bench_q{q}";
            await Execute(connection, $"PREPARE {prepared}{(types.Length == 0 ? "" : $"({types})")} AS {sql}", cancellationToken);
            foreach (var mode in new[] { "force_custom_plan", "force_generic_plan" })
            {
                await Execute(connection, $"SET plan_cache_mode = {mode}", cancellationToken);
                Console.WriteLine($"-- {name}, {(mode == "force_custom_plan" ? "custom" : "generic")} plan");
                await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS) EXECUTE {prepared}{Arguments(types, at)}", connection);
                await using var reader = await explain.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    Console.WriteLine("   " + reader.GetString(0));
                }
            }
            await Execute(connection, $"DEALLOCATE {prepared}; RESET plan_cache_mode", cancellationToken);
        }
    }

    private static async Task<long> ScalarAsync(LedgerDatabase database, string sql, CancellationToken cancellationToken)
    {
        await using var command = database.App.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
