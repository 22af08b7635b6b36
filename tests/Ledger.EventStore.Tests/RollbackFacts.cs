using JasperFx.Events;
using JasperFx.Events.Projections;
using Ledger.EventStore.Marten;
using Marten;
using Marten.Events;
using Marten.Events.Projections;
using Npgsql;

namespace Ledger.EventStore.Tests;

/// <summary>
/// The chain links a transaction's events at commit, so whatever rolls back (a stale stream, a projection that throws, a
/// savepoint) leaves neither event nor link, and the next commit takes the next position: seq_id may skip, the chain never does.
/// </summary>
public sealed class RollbackFacts : TestLedger
{
    [Fact]
    public async Task A_session_that_fails_on_one_stale_stream_writes_neither_stream_and_leaves_no_chain_gap()
    {
        var existing = await AppendNewStreamAsync();
        var fresh = Guid.NewGuid();
        var headSeq = (await Store.HeadAsync()).Seq;

        await using (var session = Store.Marten.LightweightSession())
        {
            session.Events.StartStream(fresh, Samples.Recorded(fresh), new SampleNoted(fresh, "would be 2"));
            // Marten's expected version is the one after the append: 1 means "the stream is still empty", and it holds one event.
            session.Events.Append(existing, 1, new SampleNoted(existing, "stale"));
            await Should.ThrowAsync<EventStreamUnexpectedMaxEventIdException>(() => session.SaveChangesAsync());
        }

        (await OwnerScalarAsync<long>("SELECT count(*) FROM mt_events WHERE stream_id = $1", fresh)).ShouldBe(0);
        (await OwnerScalarAsync<long>("SELECT count(*) FROM mt_streams WHERE id = $1", fresh)).ShouldBe(0);
        (await CountsAsync()).ShouldBe((1L, 1L));

        var next = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(next, ExpectedVersion.NoStream, Samples.Recorded(next)), Samples.Metadata());

        var stored = (await Store.ReadStreamAsync(next)).Single();
        stored.Position.ShouldBe(2);
        // The failed session drew seq_ids for the fresh stream's two events before the stale stream refused: Marten's sequence skips them.
        stored.Seq.ShouldBe(headSeq + 3);
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
        verified.Head.Position.ShouldBe(2);
    }

    [Fact]
    public async Task A_failed_save_adds_nothing_to_the_log_afterwards()
    {
        var existing = await AppendNewStreamAsync();
        var fresh = Guid.NewGuid();
        var marten = DocumentStore.For(options => LedgerStoreOptions.Configure(options, Db.App, Samples.Types));
        var store = new EventStore(marten, Db.App, Samples.Types);

        // The fresh stream's events draw seq_ids, then the existing stream refuses: Marten fills such gaps with
        // "tombstone" events, written after the save threw, on a fresh connection, retried for a while.
        await Should.ThrowAsync<ConcurrencyException>(() => store.AppendAsync(
            [Samples.Append(fresh, ExpectedVersion.NoStream, Samples.Recorded(fresh), Samples.Recorded(fresh)), Samples.Append(existing, ExpectedVersion.NoStream, Samples.Recorded(existing))],
            Samples.Metadata()));
        marten.Dispose();
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        (await OwnerColumnAsync<string>("SELECT DISTINCT type FROM mt_events")).ShouldBe(["sample-recorded"]);
        (await CountsAsync()).ShouldBe((1L, 1L));
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
    }

    [Fact]
    public async Task An_inline_projection_that_throws_rolls_the_append_back_and_leaves_no_chain_gap()
    {
        var id = await AppendNewStreamAsync();
        var fresh = Guid.NewGuid();
        Exception error;
        using (var failingMarten = DocumentStore.For(options =>
        {
            LedgerStoreOptions.Configure(options, Db.App, Samples.Types);
            options.Projections.Add(new FailingProjection(), ProjectionLifecycle.Inline);
        }))
        {
            var failing = new EventStore(failingMarten, Db.App, Samples.Types);
            error = await Should.ThrowAsync<Exception>(() => failing.AppendAsync(
                [Samples.Append(id, 1, Samples.Recorded(id, 2m), new SampleNoted(id, "refused")), Samples.Append(fresh, ExpectedVersion.NoStream, Samples.Recorded(fresh))],
                Samples.Metadata()));
            // The same store appends what its projection accepts.
            await failing.AppendAsync(Samples.Append(id, 1, Samples.Recorded(id, 3m)), Samples.Metadata());
        }
        // Disposing waited for what Marten writes after a failed save on a fresh connection (its sequence-gap bookkeeping).

        Messages(error).ShouldContain(FailingProjection.Refusal);
        (await CountsAsync()).ShouldBe((2L, 2L));
        (await Store.ReadStreamAsync(id)).Select(e => ((SampleRecorded)e.Data).Amount).ShouldBe([1m, 3m]);
        (await OwnerScalarAsync<long>("SELECT count(*) FROM mt_streams WHERE id = $1", fresh)).ShouldBe(0);
        // No other stream moved: the bookkeeping is Marten's tombstone stream, a row at version 0 without events.
        (await OwnerScalarAsync<long>("SELECT count(*) FROM mt_streams WHERE version > 0")).ShouldBe(1);

        await Store.AppendAsync(Samples.Append(id, 2, new SampleNoted(id, "accepted without the failing projection")), Samples.Metadata());

        (await Store.ReadStreamAsync(id)).Select(e => (e.StreamVersion, e.Position)).ShouldBe([(1L, 1L), (2L, 2L), (3L, 3L)]);
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
        verified.Head.Position.ShouldBe(3);
    }

    [Fact]
    public async Task Events_written_inside_a_released_savepoint_are_chained_at_commit()
    {
        await AppendNewStreamAsync();
        var stream = Guid.NewGuid();

        await InTransactionAsync(["SAVEPOINT import_row", .. InsertEventSql(stream, "在保存点内"), "RELEASE SAVEPOINT import_row"]);

        var stored = (await Store.ReadStreamAsync(stream)).Single();
        stored.Position.ShouldBe(2);
        ((SampleNoted)stored.Data).Note.ShouldBe("在保存点内");
        stored.Metadata.Actor.ShouldBe("operator");
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
        verified.Head.Position.ShouldBe(2);
    }

    [Fact]
    public async Task Events_of_a_savepoint_rolled_back_leave_no_link_and_the_rest_of_the_transaction_is_chained()
    {
        await AppendNewStreamAsync();
        var undone = Guid.NewGuid();
        var kept = Guid.NewGuid();

        await InTransactionAsync(["SAVEPOINT s", .. InsertEventSql(undone, "undone"), "ROLLBACK TO SAVEPOINT s", .. InsertEventSql(kept, "kept")]);

        (await Store.StreamVersionAsync(undone)).ShouldBe(0);
        (await Store.ReadStreamAsync(kept)).Single().Position.ShouldBe(2);
        (await CountsAsync()).ShouldBe((2L, 2L));
        (await Store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task A_link_made_early_inside_a_savepoint_that_rolls_back_is_undone_with_it()
    {
        await AppendNewStreamAsync();
        var undone = Guid.NewGuid();
        var kept = Guid.NewGuid();

        // SET CONSTRAINTS ... IMMEDIATE fires the chain trigger at once: the link is made inside the savepoint, and must go with it.
        await InTransactionAsync(
            ["SAVEPOINT s", .. InsertEventSql(undone, "undone"), "SET CONSTRAINTS mt_events_chain IMMEDIATE", "ROLLBACK TO SAVEPOINT s", .. InsertEventSql(kept, "kept")]);

        (await Store.StreamVersionAsync(undone)).ShouldBe(0);
        (await Store.ReadStreamAsync(kept)).Single().Position.ShouldBe(2);
        (await CountsAsync()).ShouldBe((2L, 2L));
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
    }

    // Regression: with the constraint IMMEDIATE, AFTER triggers fire in name order, and the chain trigger used to run
    // before the event was noted, find nothing to link, and let the event commit without a link.
    [Fact]
    public async Task Events_inserted_after_an_early_set_constraints_immediate_are_still_chained()
    {
        var early = Guid.NewGuid();
        var late = Guid.NewGuid();

        await InTransactionAsync([.. InsertEventSql(early, "early"), "SET CONSTRAINTS ALL IMMEDIATE", .. InsertEventSql(late, "late")]);

        (await Store.ReadStreamAsync(early)).Single().Position.ShouldBe(1);
        (await Store.ReadStreamAsync(late)).Single().Position.ShouldBe(2);
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
        verified.Head.Position.ShouldBe(2);
    }

    [Fact]
    public async Task A_transaction_rolled_back_after_appending_leaves_no_event_and_no_link()
    {
        await AppendNewStreamAsync();

        await using (var connection = await Db.App.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var sql in InsertEventSql(Guid.NewGuid(), "rolled back"))
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                await command.ExecuteNonQueryAsync();
            }
            await transaction.RollbackAsync();
        }
        var next = await AppendNewStreamAsync();

        (await CountsAsync()).ShouldBe((2L, 2L));
        (await Store.ReadStreamAsync(next)).Single().Position.ShouldBe(2);
        (await Store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    private async Task InTransactionAsync(string[] statements)
    {
        await using var connection = await Db.Owner.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }
        return string.Join(" / ", messages);
    }
}

/// <summary>An inline projection that refuses every <see cref="SampleNoted"/>: the read model's failure must roll back the append.</summary>
public sealed partial class FailingProjection : EventProjection
{
    public const string Refusal = "the read model refused the note";

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation) =>
        e.Data is SampleNoted ? throw new InvalidOperationException(Refusal) : ValueTask.CompletedTask;
}
