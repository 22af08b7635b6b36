using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.EventStore;

/// <summary>
/// The chain recomputed outside the database: hash = SHA-256(prev_hash || SHA-256(canonical form)). Canonical
/// form 1 must match <c>event_canonical</c> in migrations/0003_event_chain.sql byte for byte (docs/hash-chain.md):
/// each field as its UTF-8 byte length, ':', the text, ';', and NULL as '-;'.
/// </summary>
public static class HashChain
{
    /// <summary>The previous hash of the first event: 32 zero bytes.</summary>
    public static byte[] Genesis { get; } = new byte[32];

    /// <summary>The columns of one <c>mt_events</c> row that canonical form 1 covers (jsonb as PostgreSQL prints it).</summary>
    public sealed record EventRow(
        long SeqId, Guid Id, Guid? StreamId, long Version, string Type, string Data, byte[]? Bdata, string? Headers,
        string? CorrelationId, string? CausationId, string? UserName, string? DotnetType, string TimestampText, string? TenantId);

    /// <summary>Canonical form 1 of an event row.</summary>
    public static string Canonical(EventRow e)
    {
        var canonical = new StringBuilder(e.Data.Length + (e.Headers?.Length ?? 0) + 256);
        Field(canonical, e.SeqId.ToString(CultureInfo.InvariantCulture));
        Field(canonical, e.Id.ToString("D"));
        Field(canonical, e.StreamId?.ToString("D"));
        Field(canonical, e.Version.ToString(CultureInfo.InvariantCulture));
        Field(canonical, e.Type);
        Field(canonical, e.Data);
        Field(canonical, e.Bdata is null ? null : Convert.ToHexStringLower(e.Bdata));
        Field(canonical, e.Headers);
        Field(canonical, e.CorrelationId);
        Field(canonical, e.CausationId);
        Field(canonical, e.UserName);
        Field(canonical, e.DotnetType);
        Field(canonical, e.TimestampText);
        Field(canonical, e.TenantId);
        return canonical.ToString();
    }

    /// <summary>SHA-256 over the previous hash followed by the event's own digest (SHA-256 of its canonical form).</summary>
    public static byte[] Hash(byte[] previousHash, EventRow e)
    {
        var leaf = SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e)));
        var input = new byte[previousHash.Length + leaf.Length];
        previousHash.CopyTo(input, 0);
        leaf.CopyTo(input, previousHash.Length);
        return SHA256.HashData(input);
    }

    /// <summary>
    /// The timestamp as canonical form 1 writes it: Unix microseconds, or PostgreSQL's own 'infinity' / '-infinity'
    /// (Marten's tombstone rows). Verify reads it with this expression; .NET has no infinite instant.
    /// </summary>
    public const string TimestampSql =
        "CASE WHEN isfinite(e.timestamp) THEN (extract(epoch FROM e.timestamp) * 1000000)::bigint::text ELSE e.timestamp::text END";

    private static void Field(StringBuilder canonical, string? text)
    {
        if (text is null)
        {
            canonical.Append("-;");
            return;
        }
        canonical.Append(Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture)).Append(':').Append(text).Append(';');
    }
}
