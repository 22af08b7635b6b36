using System.Collections.Concurrent;
using Ledger.Budgets;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.Reference;
using NodaTime;
using Npgsql;

namespace Ledger.Reports;

/// <summary>
/// The reports: annual totals, enterprise histories, budget execution and reconciliations with published figures.
/// Each answers now, or as of an instant: the instant becomes a chain position (commit order; a commit still in flight
/// at the instant is waited for), and only movements whose events stand at or before it count — nothing is rebuilt,
/// and an answer for a past instant never changes.
/// </summary>
public sealed partial class ReportReader(EventStore.EventStore store, ReferenceData reference, PublishedMeasures measures)
{
    private readonly ConcurrentDictionary<string, string[]> _subtrees = new(StringComparer.Ordinal);

    private NpgsqlDataSource DataSource => store.DataSource;

    /// <summary>The chain position a report answers at: the head now, or the position of the instant.</summary>
    public async Task<ReportPoint> PointAsync(Instant? asOf, CancellationToken cancellationToken)
    {
        if (asOf is { } instant)
        {
            return new ReportPoint(await store.PositionAtAsync(instant, cancellationToken), instant);
        }
        await using var command = DataSource.CreateCommand(HeadSql);
        return new ReportPoint((long)(await command.ExecuteScalarAsync(cancellationToken))!, null);
    }

    /// <summary>How many current answers (totals, histories) the reader keeps, each with the chain head it was read at.</summary>
    public const int CurrentAnswersCapacity = 4_096;

    private readonly BoundedCache<object, (Stamp Stamp, object Answer)> _current = new(CurrentAnswersCapacity);

    /// <summary>What a current answer was read at: the chain's head, and which read tables (a rebuild swaps new ones in).</summary>
    private readonly record struct Stamp(long Head, long Tables);

    // Every read table is swapped by one rebuild transaction, so one table's identity stands for the set.
    private const string StampSql = "SELECT coalesce(max(position), 0), to_regclass('public.annual_totals')::oid::bigint FROM event_chain";

    /// <summary>
    /// A current (not as-of) answer, from the cache while the chain's head has not moved since it was read, else read
    /// again. Every change to the read tables is an event's, and every event commit moves the head; a rebuild, which
    /// writes no event, swaps in new tables. So an answer read at head H from these tables is the answer for as long as
    /// both stay, in this process or any other's (docs/decisions.md, HTTP). <paramref name="read"/> takes the head in
    /// its own batch, before the statements of its answer, so the answer holds at least what the head holds; if it held
    /// more, the head has moved past H and H is never asked again.
    /// </summary>
    private async Task<T?> CurrentAsync<T>(object key, Func<Task<T?>> read, Func<T, long> head, CancellationToken cancellationToken)
        where T : class
    {
        Stamp now;
        await using (var command = DataSource.CreateCommand(StampSql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            now = new Stamp(reader.GetInt64(0), reader.GetInt64(1));
        }
        if (_current.TryGet(key, out var held) && held.Stamp == now)
        {
            return (T)held.Answer;
        }
        var answer = await read();
        if (answer is not null)
        {
            var at = now with { Head = head(answer) };
            _current.Set(key, (at, answer), h => h.Stamp.Head < at.Head || h.Stamp.Tables != at.Tables);
        }
        return answer;
    }

    private string[] Divisions(string jurisdiction) => _subtrees.GetOrAdd(jurisdiction, j => Subtree.Of(reference, j));

    private string DivisionName(string code) => reference.FindDivision(code)?.Name ?? code;

    /// <summary>The annual totals of the enterprises in a jurisdiction's subtree (optionally of one issuer's subtree's awards).</summary>
    public async Task<TotalsReport> TotalsAsync(TotalsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.AsOf is null
            ? (await CurrentAsync(query, () => ReadTotalsAsync(query, cancellationToken), r => r.Point.Position, cancellationToken))!
            : (await ReadTotalsAsync(query, cancellationToken))!;
    }

    private async Task<TotalsReport?> ReadTotalsAsync(TotalsQuery query, CancellationToken cancellationToken)
    {
        var counties = Divisions(query.Jurisdiction);
        var issuers = query.Issuer is { } issuer ? Divisions(issuer) : null;
        // As of an instant, its position first (it may wait for a commit in flight); now, the head comes in the same batch.
        var asOf = query.AsOf is not null ? await PointAsync(query.AsOf, cancellationToken) : null;
        var key = query.By switch
        {
            TotalsBy.County => "county_code",
            TotalsBy.Tier => "tier",
            TotalsBy.Source => "level",
            _ => "issuer_code",
        };
        // Money: from the increments now; as of an instant, from the movements up to its position. Counts: always from
        // the movements, distinct at query time (increments cannot hold distinct counts).
        var sums = query.AsOf is null
            ? $"SELECT {key}, sum(determined), sum(reserved), sum(paid), sum(returned), sum(clawed_back), sum(repaid) FROM annual_totals " +
              "WHERE fiscal_year = $1 AND county_code = ANY($2) AND ($3::text[] IS NULL OR issuer_code = ANY($3)) " +
              $"GROUP BY GROUPING SETS (({key}), ())"
            : $"SELECT m.{key}, {MeasureSums("m")} FROM award_movements m {AsOfJoin("m")} " +
              "WHERE m.fiscal_year = $1 AND m.county_code = ANY($2) AND ($3::text[] IS NULL OR m.issuer_code = ANY($3)) AND c.position <= $4 " +
              $"GROUP BY GROUPING SETS ((m.{key}), ())";
        var countMeasure = query.Basis == TotalsBasis.Paid ? "m.measure = 'paid'" : "m.measure = 'determined' AND m.amount > 0";
        var counts = $"SELECT m.{key}, count(DISTINCT m.enterprise_id), count(DISTINCT m.award_id) FROM award_movements m " +
            (query.AsOf is null ? "" : AsOfJoin("m")) +
            $" WHERE m.fiscal_year = $1 AND m.county_code = ANY($2) AND ($3::text[] IS NULL OR m.issuer_code = ANY($3)) AND {countMeasure}" +
            (query.AsOf is null ? "" : " AND c.position <= $4") +
            $" GROUP BY GROUPING SETS ((m.{key}), ())";

        var amounts = new Dictionary<string, (Money[] Sums, int Enterprises, int Awards)>(StringComparer.Ordinal);
        var position = asOf?.Position ?? long.MaxValue;
        await using (var batch = DataSource.CreateBatch())
        {
            if (asOf is null)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(HeadSql));
            }
            batch.BatchCommands.Add(BatchCommand(sums, query.Year, counties, issuers, position));
            batch.BatchCommands.Add(BatchCommand(counts, query.Year, counties, issuers, position));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (asOf is null)
            {
                await reader.ReadAsync(cancellationToken);
                asOf = new ReportPoint(reader.GetInt64(0), null);
                await reader.NextResultAsync(cancellationToken);
            }
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = reader.IsDBNull(0) ? "" : reader.GetString(0);
                amounts[row] = ([.. Enumerable.Range(1, 6).Select(i => Yuan(reader, i))], 0, 0);
            }
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = reader.IsDBNull(0) ? "" : reader.GetString(0);
                var sumsOf = amounts.TryGetValue(row, out var found) ? found.Sums : [.. Enumerable.Repeat(Money.Zero, 6)];
                amounts[row] = (sumsOf, (int)reader.GetInt64(1), (int)reader.GetInt64(2));
            }
        }
        var point = asOf;
        TotalsAmounts Of((Money[] Sums, int Enterprises, int Awards) a) =>
            new(a.Sums[0], a.Sums[1], a.Sums[2], a.Sums[3], a.Sums[4], a.Sums[5], a.Enterprises, a.Awards);
        var whole = amounts.TryGetValue("", out var all) ? Of(all) : TotalsAmounts.Zero;
        var rows = amounts.Where(a => a.Key.Length > 0)
            .Select(a => new TotalsRow(a.Key, RowName(query.By, a.Key), Of(a.Value)))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        return new TotalsReport(query.Jurisdiction, DivisionName(query.Jurisdiction), query.Year, query.Basis, query.Issuer, query.By, point, whole, rows);
    }

    private string RowName(TotalsBy by, string key) => by switch
    {
        TotalsBy.County or TotalsBy.Issuer => DivisionName(key),
        TotalsBy.Tier => reference.FindTier(key)?.NameZh ?? key,
        _ => key switch { "province" => "省级", "city" => "市级", "county" => "县级", _ => key },
    };

    /// <summary>The six measures summed from movements, in the order of <see cref="TotalsAmounts"/>.</summary>
    private static string MeasureSums(string alias) => string.Join(", ",
        new[] { MovementMeasure.Determined, MovementMeasure.Reserved, MovementMeasure.Paid, MovementMeasure.Returned, MovementMeasure.ClawedBack, MovementMeasure.Repaid }
            .Select(m => $"coalesce(sum({alias}.amount) FILTER (WHERE {alias}.measure = '{m}'), 0)"));

    /// <summary>Joins a read row's event to its place in the chain (alias <c>c</c>).</summary>
    private static string AsOfJoin(string alias) =>
        $"JOIN mt_events e ON e.id = {alias}.event_id JOIN event_chain c ON c.seq_id = e.seq_id";

    private const string HeadSql = "SELECT coalesce(max(position), 0) FROM event_chain";

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        AddParameters(command.Parameters, parameters);
        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddParameters(command.Parameters, parameters);
        return command;
    }

    private static void AddParameters(NpgsqlParameterCollection target, object?[] parameters)
    {
        foreach (var parameter in parameters)
        {
            // A null parameter is a missing code filter (text[]).
            target.Add(parameter is null or string[]
                ? new NpgsqlParameter { Value = parameter ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text }
                : new NpgsqlParameter { Value = parameter });
        }
    }

    private static Money Yuan(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? Money.Zero : Money.Of(reader.GetDecimal(ordinal));

    private static EventProof Proof(NpgsqlDataReader reader, int first) => new(
        reader.GetGuid(first), reader.GetInt64(first + 1), reader.GetInt64(first + 2), Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(first + 3)));
}
