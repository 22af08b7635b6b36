using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Npgsql;

namespace Ledger.EventStore;

/// <summary>
/// A signed head digest (format <c>ledger-digest-1</c>): the chain's head at one moment, signed with an ECDSA P-256
/// key the operator keeps away from the database. Kept outside the database, it pins the chain: a later chain that
/// still holds this seq and hash at this position has not changed before it and lost nothing up to it, even if
/// someone with the owner's rights rewrote events and recomputed every link. docs/hash-chain.md defines the bytes signed.
/// </summary>
/// <param name="Position">The head's chain position.</param>
/// <param name="Seq">The <c>seq_id</c> of the event there.</param>
/// <param name="Hash">Its hash, 64 lower-case hex digits.</param>
/// <param name="ChainedAt">When it was chained, ISO-8601 in UTC, as written in the document.</param>
/// <param name="SignedAt">When the digest was signed, ISO-8601 in UTC, as written in the document.</param>
/// <param name="Signature">ECDSA over <see cref="SignedBytes"/> with SHA-256, IEEE P1363 (r ‖ s, 64 bytes).</param>
public sealed record HeadDigest(long Position, long Seq, string Hash, string ChainedAt, string SignedAt, byte[] Signature)
{
    /// <summary>The value of the document's <c>format</c>.</summary>
    public const string Format = "ledger-digest-1";

    /// <summary>The value of the document's <c>algorithm</c>.</summary>
    public const string Algorithm = "ECDSA-P256-SHA256";

    private const string P256Oid = "1.2.840.10045.3.1.7";

    private static readonly string[] Fields = ["format", "position", "seq", "hash", "chainedAt", "signedAt", "algorithm", "signature"];

    /// <summary>Signs a head (of a ledger that has events) at <paramref name="signedAt"/> with a P-256 private key.</summary>
    public static HeadDigest Sign(ChainHead head, Instant signedAt, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(privateKey);
        if (head.Position < 1 || head.ChainedAt is not { } chainedAt)
        {
            throw new ArgumentException("an empty chain has no head to sign", nameof(head));
        }
        var unsigned = new HeadDigest(head.Position, head.Seq, head.HashHex, InstantPattern.ExtendedIso.Format(chainedAt), InstantPattern.ExtendedIso.Format(signedAt), []);
        return unsigned with
        {
            Signature = privateKey.SignData(unsigned.SignedBytes(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        };
    }

    /// <summary>
    /// The bytes the signature covers: UTF-8 (all ASCII) of one <c>name=value</c> line per field but the signature,
    /// in the document's order, each line ending in LF (0x0A), the last one too; numbers in decimal, text as written.
    /// </summary>
    public byte[] SignedBytes() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"format={Format}\nposition={Position}\nseq={Seq}\nhash={Hash}\nchainedAt={ChainedAt}\nsignedAt={SignedAt}\nalgorithm={Algorithm}\n"));

    /// <summary>True when <paramref name="publicKey"/> signed exactly these fields.</summary>
    public bool SignatureHolds(ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return publicKey.VerifyData(SignedBytes(), Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The JSON document, indented, fields in the documented order, ending in a newline.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("position", Position);
            json.WriteNumber("seq", Seq);
            json.WriteString("hash", Hash);
            json.WriteString("chainedAt", ChainedAt);
            json.WriteString("signedAt", SignedAt);
            json.WriteString("algorithm", Algorithm);
            json.WriteString("signature", Convert.ToBase64String(Signature));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// Reads a digest document strictly: exactly the eight fields, once each, of the right kinds (positive decimal
    /// integers, 64 lower-case hex digits, ISO-8601 UTC instants, a base64 signature of 64 bytes). Throws
    /// <see cref="FormatException"/> naming what is wrong; the signature is not checked here.
    /// </summary>
    public static HeadDigest Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("not a JSON object");
            }
            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new FormatException($"unknown field '{property.Name}' (a {Format} digest has {string.Join(", ", Fields)})");
                }
                if (!fields.TryAdd(property.Name, property.Value))
                {
                    throw new FormatException($"field '{property.Name}' appears twice");
                }
            }
            string Text(string name) =>
                !fields.TryGetValue(name, out var value) ? throw new FormatException($"field '{name}' is missing")
                : value.ValueKind != JsonValueKind.String ? throw new FormatException($"field '{name}' is not a string")
                : value.GetString()!;
            long Number(string name)
            {
                if (!fields.TryGetValue(name, out var value))
                {
                    throw new FormatException($"field '{name}' is missing");
                }
                var raw = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "";
                // Only the plain decimal form, so that the text signed has one spelling.
                return raw.Length > 0 && raw.All(char.IsAsciiDigit) && raw[0] != '0' && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : throw new FormatException($"field '{name}' is not a positive integer");
            }
            string Moment(string name)
            {
                var text = Text(name);
                return InstantPattern.ExtendedIso.Parse(text).Success ? text : throw new FormatException($"field '{name}' is not an ISO-8601 UTC instant: '{text}'");
            }
            if (Text("format") is var format && format != Format)
            {
                throw new FormatException($"format '{format}' is not {Format}");
            }
            var position = Number("position");
            var seq = Number("seq");
            var hash = Text("hash");
            if (hash.Length != 64 || !hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            {
                throw new FormatException("field 'hash' is not 64 lower-case hex digits");
            }
            var chainedAt = Moment("chainedAt");
            var signedAt = Moment("signedAt");
            if (Text("algorithm") is var algorithm && algorithm != Algorithm)
            {
                throw new FormatException($"algorithm '{algorithm}' is not {Algorithm}");
            }
            var base64 = Text("signature");
            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw new FormatException("field 'signature' is not base64");
            }
            if (signature.Length != 64)
            {
                throw new FormatException($"field 'signature' holds {signature.Length} bytes, not the 64 of an IEEE P1363 P-256 signature");
            }
            return new HeadDigest(position, seq, hash, chainedAt, signedAt, signature);
        }
    }

    /// <summary>
    /// Reads an EC key from PEM text (PKCS#8 <c>PRIVATE KEY</c>, SEC1 <c>EC PRIVATE KEY</c> or <c>PUBLIC KEY</c>) and
    /// refuses any curve but P-256, naming it. Throws <see cref="FormatException"/> naming what is wrong.
    /// </summary>
    /// <param name="pem">The file's text.</param>
    /// <param name="needPrivate">True to refuse a key without its private part (for signing).</param>
    public static ECDsa ImportP256(string pem, bool needPrivate)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            try
            {
                key.ImportFromPem(pem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new FormatException($"no EC key in PEM form could be read ({e.Message})", e);
            }
            ECParameters parameters;
            try
            {
                parameters = key.ExportParameters(needPrivate);
            }
            catch (CryptographicException e)
            {
                throw new FormatException("the file holds a public key only; signing needs the private key", e);
            }
            if (!IsP256(parameters.Curve))
            {
                throw new FormatException($"the key is on curve {CurveName(parameters.Curve)}; a digest is signed with P-256 (prime256v1, secp256r1) only");
            }
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks this digest against the chain as it is now: the signature with <paramref name="publicKey"/>, then that the
    /// link at the digest's position holds its seq, hash and chained_at. (Whether the chain recomputes is
    /// <see cref="ChainVerifier"/>'s check.)
    /// </summary>
    public async Task<DigestCheck> CheckAsync(NpgsqlDataSource dataSource, ECDsa publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!SignatureHolds(publicKey))
        {
            return new DigestCheck(false, "signature: the digest was not signed by this public key, or was changed after signing");
        }
        await using var command = dataSource.CreateCommand(
            "SELECT seq_id, hash, chained_at FROM event_chain WHERE position = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Position });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            await reader.DisposeAsync();
            await using var last = dataSource.CreateCommand("SELECT coalesce(max(position), 0) FROM event_chain");
            var end = (long)(await last.ExecuteScalarAsync(cancellationToken))!;
            return new DigestCheck(false, $"position {Position} missing: the chain ends at position {end}, the digest's head (seq_id {Seq}) is gone");
        }
        var seq = reader.GetInt64(0);
        var hash = Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1));
        var chainedAt = Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(2));
        if (seq != Seq)
        {
            return new DigestCheck(false, $"seq differs at position {Position}: the chain holds seq_id {seq} there, the digest seq_id {Seq}");
        }
        if (hash != Hash)
        {
            return new DigestCheck(false, $"hash differs at position {Position} (seq_id {Seq}): the chain up to it was rewritten since the digest was signed");
        }
        if (chainedAt != InstantPattern.ExtendedIso.Parse(ChainedAt).Value)
        {
            return new DigestCheck(false, $"chained_at differs at position {Position} (seq_id {Seq}): {InstantPattern.ExtendedIso.Format(chainedAt)} in the chain, {ChainedAt} in the digest");
        }
        return new DigestCheck(true, null);
    }

    private static bool IsP256(ECCurve curve) =>
        curve.IsNamed && (curve.Oid.Value == P256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1");

    private static string CurveName(ECCurve curve) => !curve.IsNamed ? "given by explicit parameters" : curve.Oid.Value switch
    {
        "1.3.132.0.34" => "P-384 (secp384r1)",
        "1.3.132.0.35" => "P-521 (secp521r1)",
        "1.3.132.0.10" => "secp256k1",
        var oid => curve.Oid.FriendlyName is { Length: > 0 } name ? $"{name} ({oid})" : oid ?? "unknown",
    };
}

/// <summary>The outcome of checking a head digest against the chain.</summary>
/// <param name="Ok">True when the signature holds and the chain still holds the digest's head.</param>
/// <param name="Reason">What failed: the signature, a missing position, a different seq, hash or chained_at.</param>
public sealed record DigestCheck(bool Ok, string? Reason);
