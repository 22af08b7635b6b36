using System.Security.Cryptography;
using System.Text;

namespace Ledger;

/// <summary>
/// Name-based UUIDs (RFC 4122 §4.3, version 5, SHA-1): the same namespace and name always give the same
/// id, so a natural key such as a USCC maps to one stream without a lookup table.
/// </summary>
public static class NameBasedGuid
{
    public static Guid Create(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        // SHA-1 is what version 5 specifies; it identifies here, it does not protect anything.
#pragma warning disable CA5350
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
