using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Testing;
using NodaTime;

namespace Ledger.Cli.Tests;

/// <summary>
/// <c>ledger digest</c> and <c>ledger verify --digest</c>: the head signed with the operator's P-256 key, then checked
/// against a chain that is whole, that had an event altered, that was rewritten link by link, or that lost its tail.
/// </summary>
public sealed class DigestCommandFacts : CliDatabase
{
    private static readonly Instant At = Instant.FromUtc(2024, 3, 1, 2, 0);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-digest-{Guid.NewGuid():N}");
    private readonly Guid _enterprise = Guid.NewGuid();
    private EventStore.EventStore _store = null!;

    private string PrivateKey => Path.Combine(_folder, "private.pem");

    private string PublicKey => Path.Combine(_folder, "public.pem");

    private string Digest => Path.Combine(_folder, "digest.json");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Directory.CreateDirectory(_folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(PrivateKey, key.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(PublicKey, key.ExportSubjectPublicKeyInfoPem());
        _store = TestStores.Create(Database, typeof(EnterpriseRegistered).Assembly);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>An enterprise registered (position 1) and corrected (position 2), in two commits.</summary>
    private async Task RegisterAndCorrectAsync()
    {
        await _store.AppendAsync(new StreamAppend(_enterprise, "enterprise", ExpectedVersion.NoStream, "320205",
            [new EnterpriseRegistered(_enterprise, "91320205MA1Y000010", "甲精密机械有限公司", "320205", "制造业", null, "clerk-li", At)]),
            new EventMetadata("clerk-li", "clerk", Guid.NewGuid()));
        await _store.AppendAsync(new StreamAppend(_enterprise, "enterprise", 1, "320205",
            [new EnterpriseDetailsCorrected(_enterprise, [new FieldCorrection(EnterpriseField.Name, "甲精密机械有限公司", "甲精工有限公司")], "registry spelling", "clerk-li", At)]),
            new EventMetadata("clerk-li", "clerk", Guid.NewGuid()));
    }

    private async Task AnotherEnterpriseAsync()
    {
        var other = Guid.NewGuid();
        await _store.AppendAsync(new StreamAppend(other, "enterprise", ExpectedVersion.NoStream, "320206",
            [new EnterpriseRegistered(other, "91320206MA1Y000020", "乙科技有限公司", "320206", "信息技术", null, "clerk-zhao", At)]),
            new EventMetadata("clerk-zhao", "clerk", Guid.NewGuid()));
    }

    private async Task<long> SeqAtAsync(long position)
    {
        await using var command = Database.Owner.CreateCommand($"SELECT seq_id FROM event_chain WHERE position = {position}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task OwnerAsync(string sql)
    {
        await using var command = Database.Owner.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What only the owner can do, with the append-only trigger disabled: change a stored event.</summary>
    private Task AlterEventAsync(long seq) => OwnerAsync(
        "ALTER TABLE mt_events DISABLE TRIGGER mt_events_append_only; " +
        $"UPDATE mt_events SET data = jsonb_set(data, '{{name}}', '\"丙有限公司\"') WHERE seq_id = {seq}; " +
        "ALTER TABLE mt_events ENABLE TRIGGER mt_events_append_only");

    private async Task<(int Code, string Out, string Err)> DigestAsync() => await RunAsync("digest", "--key", PrivateKey, "--out", Digest);

    [Fact]
    public async Task A_digest_signs_the_head_over_the_documented_bytes_and_verify_accepts_it_after_more_events()
    {
        await RegisterAndCorrectAsync();

        var (code, output, error) = await DigestAsync();

        code.ShouldBe(ExitCodes.Ok, error);
        output.ShouldContain($"written to {Digest}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Digest));
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["format", "position", "seq", "hash", "chainedAt", "signedAt", "algorithm", "signature"]);
        var head = await _store.HeadAsync();
        (root.GetProperty("format").GetString(), root.GetProperty("algorithm").GetString()).ShouldBe(("ledger-digest-1", "ECDSA-P256-SHA256"));
        (root.GetProperty("position").GetInt64(), root.GetProperty("seq").GetInt64(), root.GetProperty("hash").GetString()).ShouldBe((2L, head.Seq, head.HashHex));
        root.GetProperty("chainedAt").GetString().ShouldBe(NodaTime.Text.InstantPattern.ExtendedIso.Format(head.ChainedAt!.Value));
        // The signed bytes exactly as docs/hash-chain.md writes them.
        var signed = $"format=ledger-digest-1\nposition=2\nseq={head.Seq}\nhash={head.HashHex}\nchainedAt={root.GetProperty("chainedAt").GetString()}\n" +
                     $"signedAt={root.GetProperty("signedAt").GetString()}\nalgorithm=ECDSA-P256-SHA256\n";
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(await File.ReadAllTextAsync(PublicKey));
        publicKey.VerifyData(Encoding.UTF8.GetBytes(signed), Convert.FromBase64String(root.GetProperty("signature").GetString()!), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation).ShouldBeTrue();

        await AnotherEnterpriseAsync();
        var (verified, table, verifyError) = await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey);
        verified.ShouldBe(ExitCodes.Ok, verifyError);
        table.ShouldContain("Chain verified: 3 event(s)");
        table.ShouldContain($"Digest {Digest} holds");
        table.ShouldContain($"position 2 (seq_id {head.Seq}) still has hash {head.HashHex}");

        var (jsonCode, document, _) = await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey, "--format", "json");
        jsonCode.ShouldBe(ExitCodes.Ok);
        using var result = JsonDocument.Parse(document);
        result.RootElement.GetProperty("ok").GetBoolean().ShouldBeTrue();
        var digest = result.RootElement.GetProperty("digest");
        (digest.GetProperty("ok").GetBoolean(), digest.GetProperty("reason").ValueKind, digest.GetProperty("position").GetInt64()).ShouldBe((true, JsonValueKind.Null, 2L));

        var (csvCode, csv, _) = await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey, "--format", "csv");
        csvCode.ShouldBe(ExitCodes.Ok);
        csv.ShouldContain(",digest_ok,digest_reason");
        csv.TrimEnd().ShouldEndWith(",true,");
    }

    [Fact]
    public async Task Without_out_the_digest_goes_to_stdout_and_a_SEC1_key_signs_too()
    {
        await RegisterAndCorrectAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var sec1 = Path.Combine(_folder, "sec1.pem");
        await File.WriteAllTextAsync(sec1, key.ExportECPrivateKeyPem());
        await File.WriteAllTextAsync(PublicKey, key.ExportSubjectPublicKeyInfoPem());

        var (code, output, error) = await RunAsync("digest", "--key", sec1);

        code.ShouldBe(ExitCodes.Ok, error);
        output.ShouldNotContain("PRIVATE KEY");
        await File.WriteAllTextAsync(Digest, output);
        JsonDocument.Parse(output).RootElement.GetProperty("format").GetString().ShouldBe("ledger-digest-1");
        (await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey)).Code.ShouldBe(ExitCodes.Ok);
    }

    [Fact]
    public async Task An_event_altered_before_the_digest_position_fails_verify_naming_its_seq()
    {
        await RegisterAndCorrectAsync();
        (await DigestAsync()).Code.ShouldBe(ExitCodes.Ok);
        var first = await SeqAtAsync(1);
        await AlterEventAsync(first);

        var (code, output, _) = await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey);

        code.ShouldBe(ExitCodes.CheckFailed);
        output.ShouldContain($"Chain BROKEN at seq_id {first} (position 1)");
        output.ShouldContain("altered");
    }

    [Fact]
    public async Task A_chain_rewritten_link_by_link_verifies_alone_but_the_digest_names_the_seq_whose_hash_differs()
    {
        await RegisterAndCorrectAsync();
        (await DigestAsync()).Code.ShouldBe(ExitCodes.Ok);
        var first = await SeqAtAsync(1);
        var head = await SeqAtAsync(2);
        await AlterEventAsync(first);
        // The owner recomputes every link from the altered event on, as the chain's own functions would.
        await OwnerAsync("""
            ALTER TABLE event_chain DISABLE TRIGGER event_chain_append_only;
            DO $$
            DECLARE
                link record;
                previous bytea := decode(repeat('00', 32), 'hex');
            BEGIN
                FOR link IN SELECT c.position, public.event_leaf(e) AS leaf FROM event_chain c JOIN mt_events e ON e.seq_id = c.seq_id ORDER BY c.position LOOP
                    UPDATE event_chain SET prev_hash = previous, hash = sha256(previous || link.leaf) WHERE position = link.position;
                    previous := sha256(previous || link.leaf);
                END LOOP;
            END
            $$;
            ALTER TABLE event_chain ENABLE TRIGGER event_chain_append_only;
            """);
        (await RunAsync("verify")).Code.ShouldBe(ExitCodes.Ok, "the rewritten chain recomputes: only a digest kept outside catches it");

        var (code, output, _) = await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey, "--format", "json");

        code.ShouldBe(ExitCodes.CheckFailed);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("ok").GetBoolean().ShouldBeTrue();
        var digest = json.RootElement.GetProperty("digest");
        digest.GetProperty("ok").GetBoolean().ShouldBeFalse();
        digest.GetProperty("reason").GetString().ShouldBe($"hash differs at position 2 (seq_id {head}): the chain up to it was rewritten since the digest was signed");
    }

    [Fact]
    public async Task Events_removed_up_to_the_digest_position_leave_it_missing()
    {
        await RegisterAndCorrectAsync();
        (await DigestAsync()).Code.ShouldBe(ExitCodes.Ok);
        var last = await SeqAtAsync(2);
        await OwnerAsync(
            "ALTER TABLE event_chain DISABLE TRIGGER event_chain_append_only; DELETE FROM event_chain WHERE position = 2; " +
            "ALTER TABLE event_chain ENABLE TRIGGER event_chain_append_only; " +
            $"ALTER TABLE mt_events DISABLE TRIGGER mt_events_append_only; DELETE FROM mt_events WHERE seq_id = {last}; " +
            "ALTER TABLE mt_events ENABLE TRIGGER mt_events_append_only");
        (await RunAsync("verify")).Code.ShouldBe(ExitCodes.Ok, "a chain cut at its end recomputes");

        var (code, output, _) = await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey);

        code.ShouldBe(ExitCodes.CheckFailed);
        output.ShouldContain($"position 2 missing: the chain ends at position 1, the digest's head (seq_id {last}) is gone");
    }

    [Fact]
    public async Task A_digest_signed_by_another_key_or_changed_after_signing_fails_on_the_signature()
    {
        await RegisterAndCorrectAsync();
        (await DigestAsync()).Code.ShouldBe(ExitCodes.Ok);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherPublic = Path.Combine(_folder, "other.pem");
        await File.WriteAllTextAsync(otherPublic, other.ExportSubjectPublicKeyInfoPem());

        var (code, output, _) = await RunAsync("verify", "--digest", Digest, "--pubkey", otherPublic);

        code.ShouldBe(ExitCodes.CheckFailed);
        output.ShouldContain("Chain verified");
        output.ShouldContain($"Digest {Digest} FAILED: signature");

        var text = await File.ReadAllTextAsync(Digest);
        var signedAt = JsonDocument.Parse(text).RootElement.GetProperty("signedAt").GetString()!;
        await File.WriteAllTextAsync(Digest, text.Replace(signedAt, "2099-01-01T00:00:00Z", StringComparison.Ordinal));
        var (changed, changedOutput, _) = await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey);
        changed.ShouldBe(ExitCodes.CheckFailed);
        changedOutput.ShouldContain("FAILED: signature");
    }

    [Theory]
    [InlineData(null, "not json at all")]
    [InlineData(null, "[]")]
    [InlineData(null, "{}")]
    [InlineData("format", "\"ledger-digest-2\"")]
    [InlineData("position", "\"2\"")]
    [InlineData("position", "2.0")]
    [InlineData("seq", "-3")]
    [InlineData("hash", "\"XYZ\"")]
    [InlineData("chainedAt", "\"2024-03-01 02:00\"")]
    [InlineData("algorithm", "\"ECDSA-P384-SHA384\"")]
    [InlineData("signature", "\"c2hvcnQ=\"")]
    [InlineData("comment", "\"not signed\"")]
    public async Task A_malformed_digest_file_exits_2_naming_the_file(string? field, string value)
    {
        await RegisterAndCorrectAsync();
        var fields = new Dictionary<string, string>
        {
            ["format"] = "\"ledger-digest-1\"", ["position"] = "2", ["seq"] = "2", ["hash"] = $"\"{new string('0', 64)}\"",
            ["chainedAt"] = "\"2024-03-01T02:00:00Z\"", ["signedAt"] = "\"2024-03-01T02:00:00Z\"", ["algorithm"] = "\"ECDSA-P256-SHA256\"",
            ["signature"] = $"\"{Convert.ToBase64String(new byte[64])}\"",
        };
        if (field is not null)
        {
            fields[field] = value;
        }
        await File.WriteAllTextAsync(Digest, field is null ? value : "{" + string.Join(',', fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}");

        var (code, output, error) = await RunAsync("verify", "--digest", Digest, "--pubkey", PublicKey);

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain($"--digest {Digest}: not a ledger-digest-1 digest");
        output.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_digest_or_key_file_or_a_digest_without_its_key_exits_2()
    {
        var missing = Path.Combine(_folder, "no-such.json");
        var (code, _, error) = await RunAsync("verify", "--digest", missing, "--pubkey", PublicKey);
        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain($"--digest {missing}: cannot be read");

        await File.WriteAllTextAsync(Digest, "{}");
        var (alone, _, aloneError) = await RunAsync("verify", "--digest", Digest);
        alone.ShouldBe(ExitCodes.BadInput);
        aloneError.ShouldContain("--digest needs --pubkey");

        var (noKey, _, noKeyError) = await RunAsync("digest", "--key", Path.Combine(_folder, "no-such.pem"));
        noKey.ShouldBe(ExitCodes.BadInput);
        noKeyError.ShouldContain("no-such.pem: cannot be read");
    }

    [Fact]
    public async Task A_P384_key_is_refused_naming_the_curve()
    {
        await RegisterAndCorrectAsync();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var privateFile = Path.Combine(_folder, "p384.pem");
        var publicFile = Path.Combine(_folder, "p384.pub.pem");
        await File.WriteAllTextAsync(privateFile, p384.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(publicFile, p384.ExportSubjectPublicKeyInfoPem());

        var (code, output, error) = await RunAsync("digest", "--key", privateFile, "--out", Digest);

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain($"--key {privateFile}: the key is on curve P-384 (secp384r1); a digest is signed with P-256");
        output.ShouldBeEmpty();
        File.Exists(Digest).ShouldBeFalse();

        (await DigestAsync()).Code.ShouldBe(ExitCodes.Ok);
        var (verify, _, verifyError) = await RunAsync("verify", "--digest", Digest, "--pubkey", publicFile);
        verify.ShouldBe(ExitCodes.BadInput);
        verifyError.ShouldContain($"--pubkey {publicFile}: the key is on curve P-384");
    }

    [Fact]
    public async Task A_public_key_cannot_sign_and_an_earlier_digest_is_never_overwritten()
    {
        await RegisterAndCorrectAsync();

        var (code, _, error) = await RunAsync("digest", "--key", PublicKey);
        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain("public key only");

        (await DigestAsync()).Code.ShouldBe(ExitCodes.Ok);
        var kept = await File.ReadAllTextAsync(Digest);
        var (again, _, againError) = await DigestAsync();
        again.ShouldBe(ExitCodes.BadInput);
        againError.ShouldContain($"--out {Digest}: cannot be written");
        (await File.ReadAllTextAsync(Digest)).ShouldBe(kept);
    }

    [Fact]
    public async Task An_empty_ledger_has_no_head_to_sign_and_a_broken_chain_is_not_signed()
    {
        var (empty, _, emptyError) = await DigestAsync();
        empty.ShouldBe(ExitCodes.BadInput);
        emptyError.ShouldContain("no events yet");

        await RegisterAndCorrectAsync();
        var first = await SeqAtAsync(1);
        await AlterEventAsync(first);
        var (broken, _, brokenError) = await DigestAsync();
        broken.ShouldBe(ExitCodes.CheckFailed);
        brokenError.ShouldContain($"BROKEN at seq_id {first}");
        File.Exists(Digest).ShouldBeFalse();
    }
}
