using NodaTime;
using Npgsql;

namespace Ledger.EventStore;

/// <summary>The chain's head: what a digest signs and an auditor compares.</summary>
public sealed record ChainHead(long Seq, string HashHex, Instant? RecordedAt);

/// <summary>The outcome of recomputing the chain from seq 1.</summary>
/// <param name="Ok">True when every event's hash and link recomputed.</param>
/// <param name="EventsChecked">Events read.</param>
/// <param name="BrokenSeq">The first seq that does not verify.</param>
/// <param name="Reason">Why it does not.</param>
/// <param name="Head">The last event read (the head, when the chain is whole).</param>
public sealed record VerifyResult(bool Ok, long EventsChecked, long? BrokenSeq, string? Reason, ChainHead Head);

public sealed partial class EventStore
{
    /// <summary>
    /// Recomputes the hash chain from seq 1 outside the database, in one streaming read (one snapshot,
    /// constant memory), and reports the first seq that is missing, out of order, unlinked or altered.
    /// </summary>
    public async Task<VerifyResult> VerifyAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT seq, event_id, stream_id, stream_version, event_type, data::text, metadata::text, county_code, " +
            "(extract(epoch FROM recorded_at) * 1000000)::bigint, prev_hash, hash, recorded_at FROM events ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var previous = HashChain.Genesis;
        var expectedSeq = 1L;
        var head = new ChainHead(0, Convert.ToHexStringLower(HashChain.Genesis), null);
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(0);
            var prevHash = reader.GetFieldValue<byte[]>(9);
            var hash = reader.GetFieldValue<byte[]>(10);
            string? problem = null;
            if (seq != expectedSeq)
            {
                problem = $"expected seq {expectedSeq} next, found {seq}: events are missing";
            }
            else if (!prevHash.AsSpan().SequenceEqual(previous))
            {
                problem = "prev_hash does not match the hash of the event before it";
            }
            else
            {
                var recomputed = HashChain.Hash(
                    previous, seq, reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetInt64(8));
                if (!recomputed.AsSpan().SequenceEqual(hash))
                {
                    problem = "the stored hash does not match the event's content: the row was altered after it was appended";
                }
            }
            if (problem is not null)
            {
                return new VerifyResult(false, expectedSeq - 1, seq == expectedSeq ? seq : expectedSeq, problem, head);
            }
            previous = hash;
            head = new ChainHead(seq, Convert.ToHexStringLower(hash), ToInstant(reader.GetDateTime(11)));
            if (seq % 10_000 == 0)
            {
                progress?.Report(seq);
            }
            expectedSeq++;
        }
        return new VerifyResult(true, expectedSeq - 1, null, null, head);
    }

    /// <summary>The newest event's seq and hash (seq 0 and the genesis hash for an empty log).</summary>
    public async Task<ChainHead> HeadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChainHead(reader.GetInt64(0), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1)), ToInstant(reader.GetDateTime(2)))
            : new ChainHead(0, Convert.ToHexStringLower(HashChain.Genesis), null);
    }
}
