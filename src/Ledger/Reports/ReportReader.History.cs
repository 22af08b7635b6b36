using Ledger.Budgets;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using NodaTime;
using Npgsql;

namespace Ledger.Reports;

public sealed partial class ReportReader
{
    /// <summary>An enterprise's whole award history in chain order, each line with the event that proves it.</summary>
    public async Task<EnterpriseHistory> HistoryAsync(string uscc, Instant? asOf = null, CancellationToken cancellationToken = default) =>
        await HistoryWithinAsync(uscc, null, asOf, cancellationToken)
            ?? throw new DomainException("enterprise.not-found", $"uscc: no enterprise {Uscc.Parse(uscc).Value} is registered.");

    /// <summary>
    /// The history of an enterprise registered (now) inside <paramref name="within"/>'s subtree, or null — for one outside
    /// it as for one not registered, so a scoped caller cannot tell the two apart; null <paramref name="within"/>: anywhere.
    /// The scope is checked on the enterprise row the history's own batch reads, not by a query of its own.
    /// </summary>
    public async Task<EnterpriseHistory?> HistoryWithinAsync(string uscc, string? within, Instant? asOf = null, CancellationToken cancellationToken = default)
    {
        var parsed = Uscc.Parse(uscc);
        var history = asOf is null
            ? await CurrentAsync(new HistoryKey(parsed.Value), () => ReadHistoryAsync(parsed, null, cancellationToken), h => h.Point.Position, cancellationToken)
            : await ReadHistoryAsync(parsed, asOf, cancellationToken);
        if (history is null || (within is not null && !reference.IsWithin(history.CountyCode, within)))
        {
            return null;
        }
        return history.Lines.Count == 0 && asOf is not null
            ? throw new DomainException("enterprise.not-found", $"uscc: enterprise {parsed.Value} was not registered as of {asOf}.")
            : history;
    }

    private sealed record HistoryKey(string Uscc);

    /// <summary>The history of a registered enterprise, or null.</summary>
    private async Task<EnterpriseHistory?> ReadHistoryAsync(Uscc parsed, Instant? asOf, CancellationToken cancellationToken)
    {
        var enterpriseId = Enterprise.StreamIdFor(parsed);
        var point = asOf is not null ? await PointAsync(asOf, cancellationToken) : null;
        string? name = null, county = null;
        var lines = new List<HistoryLine>();
        await using (var batch = DataSource.CreateBatch())
        {
            if (point is null)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(HeadSql));
            }
            batch.BatchCommands.Add(BatchCommand("SELECT name, county_code FROM enterprises WHERE enterprise_id = $1", enterpriseId));
            batch.BatchCommands.Add(BatchCommand(
                "SELECT h.kind, h.business_date, h.amount, h.tier, h.designation_id, h.award_id, h.disbursement_id, h.valid_to, h.county_code, " +
                "h.detail, coalesce(e.user_name, ''), h.event_id, e.seq_id, c.position, c.chained_at " +
                $"FROM award_history h {AsOfJoin("h")} WHERE h.enterprise_id = $1 AND c.position <= $2 ORDER BY c.position",
                enterpriseId, point?.Position ?? long.MaxValue));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (point is null)
            {
                await reader.ReadAsync(cancellationToken);
                point = new ReportPoint(reader.GetInt64(0), null);
                await reader.NextResultAsync(cancellationToken);
            }
            if (await reader.ReadAsync(cancellationToken))
            {
                (name, county) = (reader.GetString(0), reader.GetString(1));
            }
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(new HistoryLine(
                    reader.GetString(0), Sql.ToLocalDate(reader.GetFieldValue<DateOnly>(1)),
                    reader.IsDBNull(2) ? null : Money.Of(reader.GetDecimal(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetGuid(4),
                    reader.IsDBNull(5) ? null : reader.GetGuid(5),
                    reader.IsDBNull(6) ? null : reader.GetGuid(6),
                    reader.IsDBNull(7) ? null : Sql.ToLocalDate(reader.GetFieldValue<DateOnly>(7)),
                    reader.GetString(8), reader.GetString(9), reader.GetString(10), Proof(reader, 11)));
            }
        }
        if (name is null || county is null)
        {
            return null;
        }
        return new EnterpriseHistory(enterpriseId, parsed.Value, name, county, point, lines);
    }

    /// <summary>
    /// Budget execution of every line of the divisions in a jurisdiction's subtree for one year: now from the
    /// increments, as of an instant by folding each line's stream up to that position.
    /// </summary>
    public async Task<BudgetExecutionReport> BudgetExecutionAsync(string jurisdiction, int year, Instant? asOf = null, CancellationToken cancellationToken = default)
    {
        var divisions = Divisions(jurisdiction);
        var point = await PointAsync(asOf, cancellationToken);
        var rows = new List<BudgetExecutionRow>();
        await using (var connection = await DataSource.OpenConnectionAsync(cancellationToken))
        await using (var command = Command(connection,
            "SELECT division_code, level, appropriated, adjusted, reserved, paid, returned, repaid FROM budget_execution " +
            "WHERE fiscal_year = $1 AND division_code = ANY($2) ORDER BY division_code, level", year, divisions))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new BudgetExecutionRow(reader.GetString(0), DivisionName(reader.GetString(0)), year, reader.GetString(1),
                    Yuan(reader, 2), Yuan(reader, 3), Yuan(reader, 4), Yuan(reader, 5), Yuan(reader, 6), Yuan(reader, 7)));
            }
        }
        if (asOf is not null)
        {
            var folded = new List<BudgetExecutionRow>();
            foreach (var row in rows)
            {
                var key = new BudgetLineKey(row.DivisionCode, year, LevelOf(row.Level));
                var line = await store.AggregateStreamAsync(BudgetLineKey.StreamId(key), BudgetLine.Initial(key),
                    (s, e) => BudgetLine.Evolve(s, (IBudgetEvent)e), ReadLimit.AtPosition(point.Position), cancellationToken);
                if (line.Version > 0)
                {
                    var s = line.State;
                    folded.Add(row with { Appropriated = s.Appropriated, Adjusted = s.Adjustments, Reserved = s.Reserved, Paid = s.Paid, Returned = s.Returned, Repaid = s.Repaid });
                }
            }
            rows = folded;
        }
        return new BudgetExecutionReport(jurisdiction, year, point, rows);
    }

    private static FundingLevel LevelOf(string level) => level switch
    {
        "province" => FundingLevel.Province,
        "city" => FundingLevel.City,
        _ => FundingLevel.County,
    };
}
