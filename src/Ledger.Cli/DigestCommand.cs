using System.CommandLine;
using System.Security.Cryptography;
using Ledger.EventStore;
using NodaTime;

namespace Ledger.Cli;

/// <summary>
/// <c>ledger digest</c>: the chain's head signed with the operator's ECDSA P-256 key, and what <c>ledger verify --digest</c>
/// needs to check one (docs/hash-chain.md, "Head digests").
/// </summary>
internal static class DigestCommand
{
    internal static readonly Option<string?> DigestOption = new("--digest")
    {
        Description = "A head digest written by 'ledger digest': check its signature and that the chain still holds its head (needs --pubkey).",
    };

    internal static readonly Option<string?> PublicKeyOption = new("--pubkey")
    {
        Description = "The PEM public key (P-256) the digest was signed with.",
    };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var key = new Option<string>("--key") { Description = "The operator's ECDSA P-256 private key, PEM (PKCS#8 or SEC1 'EC PRIVATE KEY').", Required = true };
        var file = new Option<string?>("--out") { Description = "Write the digest to this new file (default: stdout)." };
        var command = new Command("digest", "Verify the chain and sign its head (position, seq, hash, chained_at) with an ECDSA P-256 key; keep the digest outside the database.");
        command.Options.Add(key);
        command.Options.Add(file);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var keyFile = parsed.GetValue(key)!;
            using var signer = ReadKey(key.Name, keyFile, needPrivate: true);
            // Only reads: no migration.
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), migrate: false, cancellationToken);
            var verified = await VerifiedAsync(database, cancellationToken);
            if (!verified.Ok)
            {
                // Signing the head of a broken chain would vouch for the break.
                await error.WriteLineAsync(
                    $"ledger: the chain is BROKEN at seq_id {verified.BrokenSeq}: {verified.Reason}; no digest signed (run 'ledger verify').");
                return ExitCodes.CheckFailed;
            }
            if (verified.Head.Position == 0)
            {
                throw new DomainException("cli.digest", "the ledger has no events yet: there is no chain head to sign.");
            }
            var digest = HeadDigest.Sign(verified.Head, SystemClock.Instance.GetCurrentInstant(), signer);
            if (parsed.GetValue(file) is not { } path)
            {
                await output.WriteAsync(digest.ToJson());
                return ExitCodes.Ok;
            }
            try
            {
                // A digest is evidence: never overwrite an earlier one.
                await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                await using var writer = new StreamWriter(stream);
                await writer.WriteAsync(digest.ToJson());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DomainException("cli.out", $"--out {path}: cannot be written ({e.Message}).");
            }
            await output.WriteLineAsync($"Digest of position {digest.Position} (seq_id {digest.Seq}), hash {digest.Hash}, chained {digest.ChainedAt}, signed {digest.SignedAt}: written to {path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A digest and the key to check it with, read before the database is opened.</summary>
    internal sealed record Pinned(string File, HeadDigest Digest, ECDsa PublicKey) : IDisposable
    {
        public void Dispose() => PublicKey.Dispose();
    }

    /// <summary>The digest verify was given (--digest with --pubkey), or null; bad input (exit 2) naming the file.</summary>
    internal static Pinned? ReadPinned(ParseResult parsed)
    {
        var digestFile = parsed.GetValue(DigestOption);
        var keyFile = parsed.GetValue(PublicKeyOption);
        if (digestFile is null && keyFile is null)
        {
            return null;
        }
        if (digestFile is null || keyFile is null)
        {
            throw new DomainException("cli.digest", digestFile is null ? "--pubkey is only used with --digest." : "--digest needs --pubkey, the public key it was signed with.");
        }
        HeadDigest digest;
        try
        {
            digest = HeadDigest.Parse(Read(DigestOption.Name, digestFile));
        }
        catch (FormatException e)
        {
            throw new DomainException("cli.digest", $"--digest {digestFile}: not a {HeadDigest.Format} digest: {e.Message}.");
        }
        return new Pinned(digestFile, digest, ReadKey(PublicKeyOption.Name, keyFile, needPrivate: false));
    }

    /// <summary>The chain recomputed, as verify does it; a database without the ledger's tables is the environment's failure.</summary>
    private static async Task<VerifyResult> VerifiedAsync(LedgerDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            return await ChainVerifier.VerifyAsync(database.App, cancellationToken: cancellationToken);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            throw new LedgerEnvironmentException($"the database at {database.Description} holds no ledger ({e.MessageText}); run 'ledger migrate' first.", e);
        }
    }

    /// <summary>One line for verify's table output.</summary>
    internal static string Describe(Pinned pinned, DigestCheck check) => check.Ok
        ? $"Digest {pinned.File} holds: signed {pinned.Digest.SignedAt}, position {pinned.Digest.Position} (seq_id {pinned.Digest.Seq}) still has hash {pinned.Digest.Hash}"
        : $"Digest {pinned.File} FAILED: {check.Reason}";

    /// <summary>The <c>digest</c> object of verify's JSON output.</summary>
    internal static object Document(Pinned pinned, DigestCheck check) => new
    {
        ok = check.Ok,
        reason = check.Reason,
        file = pinned.File,
        position = pinned.Digest.Position,
        seq = pinned.Digest.Seq,
        hash = pinned.Digest.Hash,
        chainedAt = pinned.Digest.ChainedAt,
        signedAt = pinned.Digest.SignedAt,
    };

    private static ECDsa ReadKey(string option, string file, bool needPrivate)
    {
        try
        {
            return HeadDigest.ImportP256(Read(option, file), needPrivate);
        }
        catch (FormatException e)
        {
            throw new DomainException("cli.key", $"{option} {file}: {e.Message}.");
        }
    }

    private static string Read(string option, string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DomainException("cli.file", $"{option} {file}: cannot be read ({e.Message}).");
        }
    }
}
