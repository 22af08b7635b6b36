namespace Ledger.EventStore.Tests;

/// <summary>
/// A superuser can switch the append-only triggers off; the chain then names the first event that was changed,
/// removed, re-linked or slipped in unchained, by seq_id and chain position. Every test starts from six events committed
/// in four transactions (the second and fourth of two events each), with seq_ids 2 and 3 drawn and never used:
/// positions 1–6 hold seq_ids 1, 4, 5, 6, 7, 8.
/// </summary>
public sealed class TamperFacts : TestLedger
{
    private Guid _pair;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AppendNewStreamAsync(1m);
        // What a failed transaction leaves: two seq_ids drawn and never used. (Not a failed Marten save: Marten retries
        // its gap bookkeeping in the background, and a retry landing while a test has the chain trigger off would be unchained.)
        await OwnerExecuteAsync("SELECT nextval('mt_events_sequence'), nextval('mt_events_sequence')");
        _pair = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(_pair, ExpectedVersion.NoStream, Samples.Recorded(_pair, 2m), new SampleNoted(_pair, "三")), Samples.Metadata());
        await AppendNewStreamAsync(4m);
        await Store.AppendAsync(Samples.Append(_pair, 2, Samples.Recorded(_pair, 5m), new SampleNoted(_pair, "六")), Samples.Metadata());
    }

    [Fact]
    public async Task An_untouched_log_verifies_and_reports_its_head()
    {
        var result = await Store.VerifyAsync();

        result.Ok.ShouldBeTrue(result.Reason);
        result.EventsChecked.ShouldBe(6);
        result.BrokenSeq.ShouldBeNull();
        (await OwnerColumnAsync<long>("SELECT seq_id FROM event_chain ORDER BY position")).ShouldBe([1L, 4L, 5L, 6L, 7L, 8L]);
        result.Head.Position.ShouldBe(6);
        result.Head.Seq.ShouldBe(8);
        result.Head.ShouldBe(await Store.HeadAsync());
        (await ChainVerifier.HeadAsync(Db.App)).ShouldBe(result.Head);
        result.Head.HashHex.ShouldBe(Convert.ToHexStringLower(await OwnerScalarAsync<byte[]>("SELECT hash FROM event_chain WHERE position = 6")));
    }

    [Fact]
    public async Task The_head_of_an_empty_ledger_is_position_0_with_the_genesis_hash()
    {
        await using var empty = await Ledger.Testing.TestPostgres.CreateDatabaseAsync();

        var head = await ChainVerifier.HeadAsync(empty.App);
        var verified = await ChainVerifier.VerifyAsync(empty.App);

        head.ShouldBe(new ChainHead(0, 0, new string('0', 64), null));
        verified.Ok.ShouldBeTrue();
        verified.EventsChecked.ShouldBe(0);
        verified.Head.ShouldBe(head);
    }

    [Fact]
    public async Task An_event_edited_with_the_trigger_disabled_is_named_by_verify_as_altered()
    {
        await AsSuperuserWithoutTriggersAsync(["mt_events_append_only"],
            "UPDATE mt_events SET data = jsonb_set(data, '{amount}', '2000000') WHERE seq_id = 6");

        var result = await Store.VerifyAsync();

        result.Ok.ShouldBeFalse();
        result.BrokenSeq.ShouldBe(6);
        result.BrokenPosition.ShouldBe(4);
        result.Reason!.ShouldContain("altered");
        result.EventsChecked.ShouldBe(3);
        result.Head.Position.ShouldBe(3);
        // The head the application reads is still the last link: only a walk finds the edit.
        (await ChainVerifier.HeadAsync(Db.App)).Position.ShouldBe(6);
    }

    [Theory]
    [InlineData("UPDATE mt_events SET headers = jsonb_set(headers, '{reason}', '\"补录\"') WHERE seq_id = 4")]
    [InlineData("UPDATE mt_events SET user_name = 'someone-else' WHERE seq_id = 4")]
    [InlineData("UPDATE mt_events SET timestamp = timestamp - interval '1 microsecond' WHERE seq_id = 4")]
    [InlineData("UPDATE mt_events SET type = 'sample-noted' WHERE seq_id = 4")]
    [InlineData("UPDATE mt_events SET correlation_id = NULL WHERE seq_id = 4")]
    [InlineData("UPDATE mt_events SET mt_dotnet_type = 'Forged.Type' WHERE seq_id = 4")]
    [InlineData("UPDATE mt_events SET bdata = '\\x00' WHERE seq_id = 4")]
    [InlineData("UPDATE mt_events SET version = 9 WHERE seq_id = 4")]
    public async Task Any_column_of_canonical_form_1_edited_is_named_as_altered(string edit)
    {
        await AsSuperuserWithoutTriggersAsync(["mt_events_append_only"], edit);

        var result = await Store.VerifyAsync();

        (result.BrokenSeq, result.BrokenPosition).ShouldBe((4L, 2L));
        result.Reason!.ShouldContain("altered");
    }

    [Fact]
    public async Task An_event_deleted_with_the_trigger_disabled_is_named_by_verify_as_missing()
    {
        await AsSuperuserWithoutTriggersAsync(["mt_events_append_only"], "DELETE FROM mt_events WHERE seq_id = 7");

        var result = await Store.VerifyAsync();

        result.Ok.ShouldBeFalse();
        result.BrokenSeq.ShouldBe(7);
        result.BrokenPosition.ShouldBe(5);
        result.Reason!.ShouldContain("missing");
        result.Head.Position.ShouldBe(4);
    }

    [Fact]
    public async Task An_event_edited_and_its_own_link_rehashed_breaks_the_next_link_as_re_linked()
    {
        // A forger who recomputes the edited event's hash must rewrite every later link too: the next prev_hash gives it away.
        await AsSuperuserWithoutTriggersAsync(["mt_events_append_only", "event_chain_append_only"],
            "UPDATE mt_events SET data = jsonb_set(data, '{amount}', '9') WHERE seq_id = 5",
            "UPDATE event_chain c SET hash = sha256(c.prev_hash || event_leaf(e)) FROM mt_events e WHERE e.seq_id = c.seq_id AND c.seq_id = 5");

        var result = await Store.VerifyAsync();

        result.Ok.ShouldBeFalse();
        result.BrokenSeq.ShouldBe(6);
        result.BrokenPosition.ShouldBe(4);
        result.Reason!.ShouldContain("re-linked");
        // Position 3 itself now recomputes: the walk got past it.
        result.Head.Position.ShouldBe(3);
        result.EventsChecked.ShouldBe(3);
    }

    [Fact]
    public async Task A_rewritten_tail_verifies_only_against_a_head_kept_outside_the_database()
    {
        var signed = await Store.HeadAsync();
        // The forger rewrites everything from the edit to the end: the walk verifies, but the head differs from the one an auditor kept.
        await AsSuperuserWithoutTriggersAsync(["mt_events_append_only", "event_chain_append_only"],
            "UPDATE mt_events SET data = jsonb_set(data, '{amount}', '9') WHERE seq_id = 8",
            "UPDATE event_chain c SET hash = sha256(c.prev_hash || event_leaf(e)) FROM mt_events e WHERE e.seq_id = c.seq_id AND c.seq_id = 8");

        var result = await Store.VerifyAsync();

        result.Ok.ShouldBeTrue(result.Reason);
        result.Head.Position.ShouldBe(signed.Position);
        result.Head.HashHex.ShouldNotBe(signed.HashHex);
    }

    [Fact]
    public async Task An_event_inserted_with_the_chain_trigger_disabled_is_named_by_verify_as_unchained()
    {
        var stream = Guid.NewGuid();
        await AsSuperuserWithoutTriggersAsync(["mt_events_chain"], InsertEventSql(stream, "slipped in"));
        var seq = await OwnerScalarAsync<long>("SELECT seq_id FROM mt_events WHERE stream_id = $1", stream);

        var result = await Store.VerifyAsync();

        result.Ok.ShouldBeFalse();
        result.BrokenSeq.ShouldBe(seq);
        result.BrokenPosition.ShouldBeNull();
        result.Reason!.ShouldContain("unchained");
        result.EventsChecked.ShouldBe(6);
        // Later appends are chained, and do not pick the slipped-in event up.
        await AppendNewStreamAsync();
        (await Store.VerifyAsync()).BrokenSeq.ShouldBe(seq);
        (await Store.HeadAsync()).Position.ShouldBe(7);
    }

    [Fact]
    public async Task A_link_deleted_from_the_middle_is_named_by_the_position_after_the_gap()
    {
        await AsSuperuserWithoutTriggersAsync(["event_chain_append_only"], "DELETE FROM event_chain WHERE position = 2");

        var result = await Store.VerifyAsync();

        result.Ok.ShouldBeFalse();
        (result.BrokenSeq, result.BrokenPosition).ShouldBe((5L, 3L));
        result.Reason!.ShouldContain("positions 2–2 are missing");
    }

    [Fact]
    public async Task The_last_link_deleted_leaves_its_event_unchained()
    {
        await AsSuperuserWithoutTriggersAsync(["event_chain_append_only"], "DELETE FROM event_chain WHERE position = 6");

        var result = await Store.VerifyAsync();

        result.Ok.ShouldBeFalse();
        result.BrokenSeq.ShouldBe(8);
        result.BrokenPosition.ShouldBeNull();
        result.Reason!.ShouldContain("unchained");
    }

    [Fact]
    public async Task Triggers_switched_back_on_refuse_the_next_edit_again()
    {
        await AsSuperuserWithoutTriggersAsync(["mt_events_append_only"], "UPDATE mt_events SET user_name = 'x' WHERE seq_id = 1");

        var refused = await RefusedAsync(Db.Owner, "UPDATE mt_events SET user_name = 'y' WHERE seq_id = 1");

        refused.SqlState.ShouldBe("LE010");
    }

    /// <summary>As the superuser: disables the triggers, runs the tampering, and enables them again (triggers are table state, not session state).</summary>
    private Task AsSuperuserWithoutTriggersAsync(string[] triggers, params string[] tampering) =>
        OwnerExecuteAsync(
        [
            .. triggers.Select(t => $"ALTER TABLE {TableOf(t)} DISABLE TRIGGER {t}"),
            .. tampering,
            .. triggers.Select(t => $"ALTER TABLE {TableOf(t)} ENABLE TRIGGER {t}"),
        ]);

    private static string TableOf(string trigger) => trigger.StartsWith("event_chain", StringComparison.Ordinal) ? "event_chain" : "mt_events";
}
