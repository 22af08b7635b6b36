using System.Globalization;
using NodaTime;
using Npgsql;

namespace Ledger.Reports;

/// <summary>An award of the <c>awards</c> listing: what was determined, what is paid, in progress and left to pay.</summary>
public sealed record AwardListing(
    Guid AwardId, string Uscc, string Enterprise, string CountyCode, string Tier, string Trigger, string DeterminedOn, string AmountYuan, string Status,
    string IssuerCode, string PaidYuan, string InProgressYuan, string LeftToPayYuan);

/// <summary>A disbursement of the approval queue: who requested it and since when, and what it waits for.</summary>
public sealed record ApprovalListing(
    Guid DisbursementId, Guid AwardId, string Uscc, string Enterprise, string CountyCode, string Level, string DivisionCode, int PlannedYear,
    string AmountYuan, string Status, int Approvals, string WaitingFor, string Requester, string Since);

public sealed partial class ReportReader
{
    /// <summary>The awards of a jurisdiction's enterprises (optionally of one status: determined or cancelled).</summary>
    public async Task<IReadOnlyList<AwardListing>> AwardsAsync(string jurisdiction, string? status, CancellationToken cancellationToken = default)
    {
        if (status is not (null or "determined" or "cancelled"))
        {
            throw new DomainException("report.status", $"status: '{status}' is neither determined nor cancelled.");
        }
        var rows = await RowsAsync(
            "SELECT a.award_id, coalesce(e.uscc, ''), coalesce(e.name, ''), a.county_code, a.tier, a.trigger, a.determination_date, a.amount, a.status, a.issuer_code, " +
            "coalesce((SELECT sum(d.amount) FROM disbursements d WHERE d.award_id = a.award_id AND d.status = 'paid'), 0), " +
            "coalesce((SELECT sum(d.amount) FROM disbursements d WHERE d.award_id = a.award_id AND d.status IN ('requested', 'approved')), 0) " +
            "FROM awards a LEFT JOIN enterprises e ON e.enterprise_id = a.enterprise_id WHERE a.county_code = ANY($1) AND ($2::text IS NULL OR a.status = $2) " +
            "ORDER BY a.county_code, a.determination_date, e.uscc",
            cancellationToken, Divisions(jurisdiction), (object?)status ?? DBNull.Value);
        return [.. rows.Select(r => new AwardListing((Guid)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!,
            ReportDocuments.Date(LocalDate.FromDateOnly((DateOnly)r[6]!)), ReportDocuments.Yuan((decimal)r[7]!), (string)r[8]!, (string)r[9]!,
            ReportDocuments.Yuan((decimal)r[10]!), ReportDocuments.Yuan((decimal)r[11]!),
            ReportDocuments.Yuan((string)r[8]! == "cancelled" ? 0m : (decimal)r[7]! - (decimal)r[10]!)))];
    }

    /// <summary>
    /// The approval queue of a jurisdiction's enterprises: requests waiting for an approval and approved ones waiting for
    /// payment, oldest first. With <paramref name="approver"/> only what that person may approve (not their own requests,
    /// not ones they already signed).
    /// </summary>
    public async Task<IReadOnlyList<ApprovalListing>> ApprovalQueueAsync(string jurisdiction, string? approver = null, CancellationToken cancellationToken = default)
    {
        var rows = await RowsAsync(
            "SELECT d.disbursement_id, d.award_id, coalesce(en.uscc, ''), coalesce(en.name, ''), d.county_code, d.level, d.division_code, d.planned_year, d.amount, " +
            "d.status, d.approvals, coalesce(e.user_name, ''), c.chained_at, " +
            "(SELECT (h.data->>'approvalsRequired')::int FROM mt_events h WHERE h.stream_id = d.award_id AND h.type = 'disbursement-approved' " +
            " AND h.data->>'disbursementId' = d.disbursement_id::text ORDER BY h.version DESC LIMIT 1), " +
            "EXISTS (SELECT 1 FROM mt_events s WHERE s.stream_id = d.award_id AND s.type = 'disbursement-approved' " +
            " AND s.data->>'disbursementId' = d.disbursement_id::text AND lower(s.data->>'approver') = lower($2)) " +
            "FROM disbursements d LEFT JOIN enterprises en ON en.enterprise_id = d.enterprise_id " +
            "JOIN award_history h ON h.disbursement_id = d.disbursement_id AND h.kind = 'disbursement-requested' " +
            "JOIN mt_events e ON e.id = h.event_id JOIN event_chain c ON c.seq_id = e.seq_id " +
            "WHERE d.status IN ('requested', 'approved') AND d.county_code = ANY($1) ORDER BY c.chained_at",
            cancellationToken, Divisions(jurisdiction), approver ?? "");
        var queue = rows.Select(r =>
        {
            var status = (string)r[9]!;
            var approvals = (int)r[10]!;
            var waitingFor = status == "approved"
                ? "payment (treasury voucher)"
                : approvals == 0 ? "an approver other than the requester" : string.Create(CultureInfo.InvariantCulture, $"approval {approvals + 1} of {r[13] ?? approvals + 1} by another approver");
            return (Listing: new ApprovalListing((Guid)r[0]!, (Guid)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!, (string)r[6]!, (int)r[7]!,
                ReportDocuments.Yuan((decimal)r[8]!), status, approvals, waitingFor, (string)r[11]!,
                ReportDocuments.Instant(Instant.FromDateTimeUtc((DateTime)r[12]!))!), Signed: (bool)r[14]!);
        });
        return approver is null
            ? [.. queue.Select(q => q.Listing)]
            : [.. queue.Where(q => q.Listing.Status == "requested" && !q.Signed && !string.Equals(q.Listing.Requester, approver, StringComparison.OrdinalIgnoreCase)).Select(q => q.Listing)];
    }

    private async Task<List<object?[]>> RowsAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter is string[] codes
                ? new NpgsqlParameter { Value = codes, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text }
                : parameter is DBNull ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = parameter });
        }
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }
}
