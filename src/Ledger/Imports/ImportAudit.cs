using Npgsql;
using NodaTime;

namespace Ledger.Imports;

/// <summary>One rule an import skipped, where it is recorded: the event (its chain position, stream and stored type name) and when it was linked.</summary>
public sealed record SkippedRuleEntry(
    long Position,
    Instant RecordedAt,
    Guid StreamId,
    string EventType,
    string Rule,
    string ImportBatch,
    string AcceptedBy,
    string Detail);

/// <summary>How many times an import batch skipped one rule, and who accepted it.</summary>
public sealed record ImportBatchRule(string ImportBatch, string Rule, int Count, string AcceptedBy, long FirstPosition, long LastPosition);

/// <summary>
/// The auditor's list of what historical imports did not check: every <see cref="SkippedRule"/> recorded on an event, by
/// batch, read from the events themselves (<c>mt_events.data</c>, in chain order), so it needs no read table of its own
/// and cannot disagree with the log. The later <c>ledger import</c> summary prints these.
/// </summary>
public sealed class ImportAudit(EventStore.EventStore store)
{
    // Every event type that can carry skipped rules stores them under "skippedRules", an array of objects named as
    // SkippedRule's properties in camelCase (LedgerJson).
    private const string Rules =
        "FROM mt_events e JOIN event_chain c ON c.seq_id = e.seq_id " +
        "CROSS JOIN LATERAL jsonb_to_recordset(CASE WHEN jsonb_typeof(e.data->'skippedRules') = 'array' THEN e.data->'skippedRules' ELSE '[]'::jsonb END) " +
        "AS r(rule text, \"importBatch\" text, \"acceptedBy\" text, detail text) ";

    /// <summary>Every rule the batch skipped, in the order the events were committed.</summary>
    public async Task<IReadOnlyList<SkippedRuleEntry>> SkippedRulesAsync(string importBatch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(importBatch);
        await using var command = store.DataSource.CreateCommand(
            "SELECT c.position, c.chained_at, e.stream_id, e.type, r.rule, r.\"importBatch\", r.\"acceptedBy\", r.detail " + Rules +
            "WHERE e.data->'skippedRules' @> jsonb_build_array(jsonb_build_object('importBatch', $1::text)) AND r.\"importBatch\" = $1 " +
            "ORDER BY c.position, r.rule");
        command.Parameters.Add(new NpgsqlParameter { Value = importBatch });
        var entries = new List<SkippedRuleEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new SkippedRuleEntry(
                reader.GetInt64(0), Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(1)), reader.GetGuid(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7)));
        }
        return entries;
    }

    /// <summary>Per batch and rule: how many facts skipped it, who accepted them, and the first and last chain position.</summary>
    public async Task<IReadOnlyList<ImportBatchRule>> BatchesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = store.DataSource.CreateCommand(
            "SELECT r.\"importBatch\", r.rule, count(*)::int, string_agg(DISTINCT r.\"acceptedBy\", ', ' ORDER BY r.\"acceptedBy\"), min(c.position), max(c.position) " +
            Rules + "WHERE e.data ? 'skippedRules' GROUP BY r.\"importBatch\", r.rule ORDER BY min(c.position), r.rule");
        var batches = new List<ImportBatchRule>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            batches.Add(new ImportBatchRule(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
        }
        return batches;
    }
}
