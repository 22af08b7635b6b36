using NodaTime;
using Npgsql;

namespace Ledger.EventStore;

/// <summary>The chain's head: the digest an auditor signs and keeps.</summary>
/// <param name="Position">The last chain position (0 for an empty ledger).</param>
/// <param name="Seq">The Marten seq_id of the event there.</param>
/// <param name="HashHex">Its hash, lower-case hex.</param>
/// <param name="ChainedAt">When it was chained.</param>
public sealed record ChainHead(long Position, long Seq, string HashHex, Instant? ChainedAt);

/// <summary>The outcome of recomputing the chain from position 1.</summary>
/// <param name="Ok">True when every link recomputed and every event is chained.</param>
/// <param name="EventsChecked">Links read.</param>
/// <param name="BrokenSeq">The seq_id of the first event that does not verify.</param>
/// <param name="BrokenPosition">Its chain position, when it has one.</param>
/// <param name="Reason">Why it does not: altered, missing, unchained or re-linked.</param>
/// <param name="Head">The last link read (the head, when the chain is whole).</param>
public sealed record VerifyResult(bool Ok, long EventsChecked, long? BrokenSeq, long? BrokenPosition, string? Reason, ChainHead Head);

public sealed partial class EventStore
{
    /// <summary>Recomputes the chain; see <see cref="ChainVerifier"/>.</summary>
    public Task<VerifyResult> VerifyAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        ChainVerifier.VerifyAsync(DataSource, progress, cancellationToken);

    /// <summary>The chain's head.</summary>
    public Task<ChainHead> HeadAsync(CancellationToken cancellationToken = default) => ChainVerifier.HeadAsync(DataSource, cancellationToken);
}

/// <summary>
/// Recomputes the hash chain outside the database, reading only (any role with SELECT will do, no migration),
/// in one streaming read of one snapshot, and names the first event that is altered, missing, unchained or re-linked.
/// </summary>
public static class ChainVerifier
{
    /// <summary>Walks the chain from position 1.</summary>
    public static async Task<VerifyResult> VerifyAsync(NpgsqlDataSource dataSource, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the walk and the unchained check.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var previous = HashChain.Genesis;
        var expected = 1L;
        var head = new ChainHead(0, 0, Convert.ToHexStringLower(HashChain.Genesis), null);
        VerifyResult Broken(long seq, long? position, string reason) => new(false, expected - 1, seq, position, reason, head);
        await using (var command = new NpgsqlCommand(
            "SELECT c.position, c.seq_id, c.form, c.prev_hash, c.hash, c.chained_at, e.seq_id IS NOT NULL, e.id, e.stream_id, e.version, e.type, " +
            "e.data::text, e.bdata, e.headers::text, e.correlation_id, e.causation_id, e.user_name, e.mt_dotnet_type, " + HashChain.TimestampSql + ", e.tenant_id " +
            "FROM event_chain c LEFT JOIN mt_events e ON e.seq_id = c.seq_id ORDER BY c.position", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var position = reader.GetInt64(0);
                var seq = reader.GetInt64(1);
                var prevHash = reader.GetFieldValue<byte[]>(3);
                var hash = reader.GetFieldValue<byte[]>(4);
                if (position != expected)
                {
                    return Broken(seq, position, $"chain positions {expected}–{position - 1} are missing before seq_id {seq}: links were removed");
                }
                if (reader.GetInt16(2) != 1)
                {
                    return Broken(seq, position, $"canonical form {reader.GetInt16(2)} is unknown to this program");
                }
                if (!reader.GetBoolean(6))
                {
                    return Broken(seq, position, $"missing: the event with seq_id {seq} was removed from mt_events");
                }
                if (!prevHash.AsSpan().SequenceEqual(previous))
                {
                    return Broken(seq, position, $"re-linked: its prev_hash does not match the hash at position {position - 1}");
                }
                var row = new HashChain.EventRow(
                    seq, reader.GetGuid(7), reader.IsDBNull(8) ? null : reader.GetGuid(8), reader.GetInt64(9), reader.GetString(10),
                    reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<byte[]>(12), Text(reader, 13), Text(reader, 14),
                    Text(reader, 15), Text(reader, 16), Text(reader, 17), reader.GetString(18), Text(reader, 19));
                if (!HashChain.Hash(previous, row).AsSpan().SequenceEqual(hash))
                {
                    return Broken(seq, position, $"altered: the event with seq_id {seq} no longer hashes to its link");
                }
                previous = hash;
                head = new ChainHead(position, seq, Convert.ToHexStringLower(hash), Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(5)));
                expected++;
                if (position % 10_000 == 0)
                {
                    progress?.Report(position);
                }
            }
        }
        await using (var unchained = new NpgsqlCommand(
            "SELECT min(e.seq_id) FROM mt_events e WHERE NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.seq_id = e.seq_id)", connection, transaction))
        {
            if (await unchained.ExecuteScalarAsync(cancellationToken) is long seq)
            {
                return Broken(seq, null, $"unchained: the event with seq_id {seq} has no link in the chain");
            }
        }
        progress?.Report(expected - 1);
        return new VerifyResult(true, expected - 1, null, null, null, head);
    }

    /// <summary>The last link.</summary>
    public static async Task<ChainHead> HeadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT position, seq_id, hash, chained_at FROM event_chain ORDER BY position DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChainHead(reader.GetInt64(0), reader.GetInt64(1), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(2)), Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(3)))
            : new ChainHead(0, 0, Convert.ToHexStringLower(HashChain.Genesis), null);
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
