using System.Security.Cryptography;
using System.Text;

namespace Ledger;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same natural key always gives the same stream id,
/// so replaying an import or a recognition finds the stream it created before instead of making a twin.
/// </summary>
public static class DeterministicGuid
{
    /// <summary>The ledger's own namespace. Fixed forever: changing it would re-key every stream.</summary>
    public static readonly Guid LedgerNamespace = new("08ca70bf-7fb3-444f-947c-f376134030a6");

    public static Guid Create(string name) => Create(LedgerNamespace, name);

    public static Guid Create(Guid namespaceId, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[20];
        // SHA-1 is what version 5 is defined with; it names streams here, it protects nothing.
#pragma warning disable CA5350
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
