using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.EventStore;

/// <summary>
/// The chain's canonical form, recomputed outside the database: it must match <c>event_canonical</c>
/// in migrations/0001_event_store.sql byte for byte. Each field is its UTF-8 byte length, ':', the
/// text, ';' — unambiguous whatever the text holds.
/// </summary>
public static class HashChain
{
    /// <summary>The previous hash of the first event: 32 zero bytes.</summary>
    public static byte[] Genesis { get; } = new byte[32];

    /// <summary>SHA-256 over the previous hash followed by the canonical form of the event.</summary>
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
        var body = Encoding.UTF8.GetBytes(canonical.ToString());
        var input = new byte[previousHash.Length + body.Length];
        previousHash.CopyTo(input, 0);
        body.CopyTo(input, previousHash.Length);
        return SHA256.HashData(input);
    }

    private static void Field(StringBuilder canonical, string text) =>
        canonical.Append(Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture)).Append(':').Append(text).Append(';');
}
