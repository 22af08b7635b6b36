using Npgsql;

namespace Ledger.Tests.Reports;

/// <summary>
/// The annual totals computed a second way, for the tests only: one plain SQL query over the events' jsonb in
/// <c>mt_events</c> and their chain positions, never the read tables or the projections' code (determined amounts
/// from the award events' totals, where the projection splits them per funding level), so a slip in either shows.
/// </summary>
internal static class IndependentTotals
{
    public sealed record Totals(decimal Determined, decimal Paid, decimal Returned, decimal Repaid, decimal ClawedBack, long PaidEnterprises)
    {
        public decimal NetPaid => Paid - Returned - Repaid;
    }

    private const string Query = """
        WITH ev AS (
            SELECT e.type, e.data FROM mt_events e JOIN event_chain c ON c.seq_id = e.seq_id WHERE c.position <= $3
        ), award AS (
            SELECT data->>'awardId' AS award_id, data->>'countyCode' AS county, data->>'enterpriseId' AS enterprise
            FROM ev WHERE type = 'award-determined'
        ), shanghai AS (
            SELECT type, data, (((data->>'redeterminedAt')::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date AS redetermined_on,
                   (((data->>'cancelledAt')::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date AS cancelled_on,
                   (((data->>'demandedAt')::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date AS demanded_on
            FROM ev
        ), money AS (
            SELECT data->>'awardId' AS award_id, 'determined' AS measure, (data->>'determinationDate')::date AS on_date, (data->>'amount')::numeric AS amount
            FROM shanghai WHERE type = 'award-determined'
            UNION ALL SELECT data->>'awardId', 'determined', redetermined_on, (data->>'newAmount')::numeric - (data->>'previousAmount')::numeric
            FROM shanghai WHERE type = 'award-redetermined'
            UNION ALL SELECT data->>'awardId', 'determined', cancelled_on, -(data->>'cancelledAmount')::numeric FROM shanghai WHERE type = 'award-cancelled'
            UNION ALL SELECT data->>'awardId', 'paid', (data->>'valueDate')::date, (data->>'amount')::numeric FROM shanghai WHERE type = 'disbursement-paid'
            UNION ALL SELECT data->>'awardId', 'returned', (data->>'returnedOn')::date, (data->>'amount')::numeric FROM shanghai WHERE type = 'disbursement-returned'
            UNION ALL SELECT data->>'awardId', 'repaid', (data->>'valueDate')::date, (data->>'amount')::numeric FROM shanghai WHERE type = 'clawback-repaid'
            UNION ALL SELECT data->>'awardId', 'clawed_back', demanded_on, (data->>'amount')::numeric FROM shanghai WHERE type = 'clawback-demanded'
        )
        SELECT coalesce(sum(m.amount) FILTER (WHERE measure = 'determined'), 0), coalesce(sum(m.amount) FILTER (WHERE measure = 'paid'), 0),
               coalesce(sum(m.amount) FILTER (WHERE measure = 'returned'), 0), coalesce(sum(m.amount) FILTER (WHERE measure = 'repaid'), 0),
               coalesce(sum(m.amount) FILTER (WHERE measure = 'clawed_back'), 0), count(DISTINCT a.enterprise) FILTER (WHERE measure = 'paid')
        FROM money m JOIN award a ON a.award_id = m.award_id
        WHERE a.county = ANY($1) AND extract(year FROM m.on_date) = $2
        """;

    public static async Task<Totals> OfAsync(NpgsqlDataSource dataSource, string[] counties, int year, long position)
    {
        await using var command = dataSource.CreateCommand(Query);
        command.Parameters.Add(new NpgsqlParameter { Value = counties });
        command.Parameters.Add(new NpgsqlParameter { Value = year });
        command.Parameters.Add(new NpgsqlParameter { Value = position });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Totals(reader.GetDecimal(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetDecimal(3), reader.GetDecimal(4), reader.GetInt64(5));
    }
}
