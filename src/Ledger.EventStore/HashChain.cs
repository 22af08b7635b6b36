using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.EventStore;

/// <summary>
/// The chain recomputed outside the database: hash = SHA-256(prev_hash || SHA-256(canonical form)),
/// where the canonical form must match <c>event_canonical</c> in migrations/0001_event_store.sql byte for byte. Each field is its UTF-8 byte length, ':', the
/// text, ';' — unambiguous whatever the text holds.
/// </summary>
public static class HashChain
{
    /// <summary>The previous hash of the first event: 32 zero bytes.</summary>
    public static byte[] Genesis { get; } = new byte[32];

    /// <summary>SHA-256 over the previous hash followed by the event's own digest (SHA-256 of its canonical form).</summary>
    public static byte[] Hash(
        byte[] previousHash, long seq, Guid eventId, Guid streamId, long streamVersion, string eventType,
        string dataText, string metadataText, string countyCode, long recordedAtMicros)
    {
        var canonical = new StringBuilder(dataText.Length + metadataText.Length + 200);
        Field(canonical, seq.ToString(CultureInfo.InvariantCulture));
        Field(canonical, eventId.ToString("D"));
        Field(canonical, streamId.ToString("D"));
        Field(canonical, streamVersion.ToString(CultureInfo.InvariantCulture));
        Field(canonical, eventType);
        Field(canonical, dataText);
        Field(canonical, metadataText);
        Field(canonical, countyCode);
        Field(canonical, recordedAtMicros.ToString(CultureInfo.InvariantCulture));
        var leaf = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        var input = new byte[previousHash.Length + leaf.Length];
        previousHash.CopyTo(input, 0);
        leaf.CopyTo(input, previousHash.Length);
        return SHA256.HashData(input);
    }

    private static void Field(StringBuilder canonical, string text) =>
        canonical.Append(Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture)).Append(':').Append(text).Append(';');
}
