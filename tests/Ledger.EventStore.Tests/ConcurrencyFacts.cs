namespace Ledger.EventStore.Tests;

/// <summary>Expected versions settle races between writers; the chain stays gapless and in commit order under contention.</summary>
public sealed class ConcurrencyFacts : TestLedger
{
    [Fact]
    public async Task Twenty_parallel_appends_at_one_expected_version_let_exactly_one_win()
    {
        var id = await AppendNewStreamAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await Store.AppendAsync(Samples.Append(id, 1, new SampleNoted(id, $"writer {i}")), Samples.Metadata());
                return "won";
            }
            catch (ConcurrencyException)
            {
                return "conflict";
            }
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(o => o == "won").ShouldBe(1);
        outcomes.Count(o => o == "conflict").ShouldBe(19);
        var stream = await Store.ReadStreamAsync(id);
        stream.Select(e => e.StreamVersion).ShouldBe([1L, 2L]);
        stream.Count(e => e.Data is SampleNoted).ShouldBe(1);
        (await Store.StreamVersionAsync(id)).ShouldBe(2);
        (await CountsAsync()).ShouldBe((2L, 2L));
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
        verified.Head.Position.ShouldBe(2);
    }

    [Fact]
    public async Task Ten_parallel_starts_of_one_stream_let_exactly_one_win()
    {
        var id = Guid.NewGuid();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id, i)), Samples.Metadata());
                return "won";
            }
            catch (ConcurrencyException)
            {
                return "conflict";
            }
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(o => o == "won").ShouldBe(1);
        outcomes.Count(o => o == "conflict").ShouldBe(9);
        (await Store.ReadStreamAsync(id)).Single().Position.ShouldBe(1);
        (await CountsAsync()).ShouldBe((1L, 1L));
    }

    [Fact]
    public async Task Starting_a_stream_that_exists_is_a_concurrency_exception_and_writes_nothing()
    {
        var id = await AppendNewStreamAsync();

        var error = await Should.ThrowAsync<ConcurrencyException>(
            () => Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id, 2m)), Samples.Metadata()));

        error.StreamId.ShouldBe(id);
        var stream = await Store.ReadStreamAsync(id);
        stream.Select(e => ((SampleRecorded)e.Data).Amount).ShouldBe([1m]);
        (await CountsAsync()).ShouldBe((1L, 1L));
    }

    [Fact]
    public async Task A_stale_or_future_expected_version_is_a_concurrency_exception_and_any_appends_whatever_the_version()
    {
        var id = await AppendNewStreamAsync();
        await Store.AppendAsync(Samples.Append(id, 1, new SampleNoted(id, "2")), Samples.Metadata());

        await Should.ThrowAsync<ConcurrencyException>(() => Store.AppendAsync(Samples.Append(id, 1, new SampleNoted(id, "stale")), Samples.Metadata()));
        await Should.ThrowAsync<ConcurrencyException>(() => Store.AppendAsync(Samples.Append(id, 5, new SampleNoted(id, "ahead")), Samples.Metadata()));
        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.Any, new SampleNoted(id, "3"), new SampleNoted(id, "4")), Samples.Metadata());

        (await Store.ReadStreamAsync(id)).Skip(1).Select(e => (e.StreamVersion, ((SampleNoted)e.Data).Note)).ShouldBe([(2L, "2"), (3L, "3"), (4L, "4")]);
        (await Store.StreamVersionAsync(id)).ShouldBe(4);
        (await Store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    // Regression: the result used to claim versions (-1, 0) for an append at any version, which learns its versions only in the database.
    [Fact]
    public async Task An_append_at_any_version_reports_no_versions_rather_than_wrong_ones()
    {
        var id = await AppendNewStreamAsync();

        var any = await Store.AppendAsync(Samples.Append(id, ExpectedVersion.Any, new SampleNoted(id, "2"), new SampleNoted(id, "3")), Samples.Metadata());

        any.Streams.ShouldBe([new StreamPosition(id, null, null)]);
        (await Store.StreamVersionAsync(id)).ShouldBe(3);
    }

    [Fact]
    public async Task A_command_on_several_streams_commits_on_all_or_none()
    {
        var a = Guid.NewGuid();
        var b = await AppendNewStreamAsync();

        await Should.ThrowAsync<ConcurrencyException>(() => Store.AppendAsync(
            [Samples.Append(a, ExpectedVersion.NoStream, Samples.Recorded(a)), Samples.Append(b, ExpectedVersion.NoStream, Samples.Recorded(b))], Samples.Metadata()));
        (await Store.StreamVersionAsync(a)).ShouldBe(0);

        var result = await Store.AppendAsync(
            [Samples.Append(a, ExpectedVersion.NoStream, Samples.Recorded(a)), Samples.Append(b, 1, new SampleNoted(b, "x"))], Samples.Metadata());

        result.Streams.ShouldBe([new StreamPosition(a, 1, 1), new StreamPosition(b, 2, 2)]);
        (await CountsAsync()).ShouldBe((3L, 3L));
    }

    [Fact]
    public async Task Eight_writers_appending_500_times_each_leave_chain_positions_1_to_4000_in_commit_order()
    {
        const int Writers = 8;
        const int Appends = 500;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streams = Enumerable.Range(0, Writers).Select(_ => Guid.NewGuid()).ToArray();
        var writers = streams.Select(stream => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < Appends; i++)
            {
                await Store.AppendAsync(Samples.Append(stream, i, Samples.Recorded(stream, i + 0.01m)), Samples.Metadata());
            }
        })).ToArray();
        // A verifier walking the chain while the writers commit never sees a broken or unchained event.
        var verifications = new List<VerifyResult>();
        var verifier = Task.Run(async () =>
        {
            await start.Task;
            while (!writers.All(w => w.IsCompleted))
            {
                verifications.Add(await Store.VerifyAsync());
                await Task.Delay(200);
            }
        });
        start.SetResult();
        await Task.WhenAll(writers);
        await verifier;

        verifications.ShouldNotBeEmpty();
        verifications.ShouldAllBe(v => v.Ok);
        verifications.Select(v => v.EventsChecked).ShouldBeInOrder(SortDirection.Ascending);
        var positions = await OwnerColumnAsync<long>("SELECT position FROM event_chain ORDER BY position");
        positions.ShouldBe(Enumerable.Range(1, Writers * Appends).Select(i => (long)i));
        // Every event has exactly one link, and every link an event.
        (await OwnerScalarAsync<long>("SELECT count(*) FROM mt_events")).ShouldBe(Writers * Appends);
        (await OwnerScalarAsync<long>("SELECT count(DISTINCT seq_id) FROM event_chain")).ShouldBe(Writers * Appends);
        (await OwnerScalarAsync<long>(
            "SELECT count(*) FROM mt_events e WHERE (SELECT count(*) FROM event_chain c WHERE c.seq_id = e.seq_id) <> 1")).ShouldBe(0);
        (await OwnerScalarAsync<long>(
            "SELECT count(*) FROM (SELECT chained_at < lag(chained_at) OVER (ORDER BY position) AS backwards FROM event_chain) l WHERE backwards")).ShouldBe(0);
        // Each stream's own events are in version order along the chain.
        (await OwnerScalarAsync<long>(
            "SELECT count(*) FROM (SELECT e.version, lag(e.version) OVER (PARTITION BY e.stream_id ORDER BY c.position) AS before " +
            "FROM mt_events e JOIN event_chain c USING (seq_id)) v WHERE v.version <> v.before + 1")).ShouldBe(0);
        foreach (var stream in streams)
        {
            (await Store.StreamVersionAsync(stream)).ShouldBe(Appends);
        }
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
        verified.EventsChecked.ShouldBe(Writers * Appends);
        verified.Head.Position.ShouldBe(Writers * Appends);
        verified.Head.ShouldBe(await Store.HeadAsync());
    }

    // Regression: two appends at any version that took the same next version surfaced as a conflict on no stream,
    // not retryable. The command did not read the stream, so the conflict names it and may be retried (Wolverine does).
    [Fact]
    public async Task Parallel_appends_at_any_version_to_one_stream_all_land_when_their_retryable_conflicts_are_retried()
    {
        var id = await AppendNewStreamAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var conflicts = 0;

        var attempts = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await start.Task;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await Store.AppendAsync(Samples.Append(id, ExpectedVersion.Any, new SampleNoted(id, $"writer {i}")) with { RetryOnConflict = true }, Samples.Metadata());
                    return;
                }
                catch (ConcurrencyException e) when (attempt < 20)
                {
                    e.Retryable.ShouldBeTrue();
                    e.StreamId.ShouldBe(id);
                    Interlocked.Increment(ref conflicts);
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(attempts);

        conflicts.ShouldBeGreaterThan(0, "the appends never collided: the race was not exercised");
        (await Store.StreamVersionAsync(id)).ShouldBe(11);
        (await Store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    // Regression: in REPEATABLE READ the chain's head was read in the transaction's old snapshot and the commit failed
    // with a raw 23505 on event_chain_pkey once someone else had committed. Now it is refused up front, by name.
    [Fact]
    public async Task A_repeatable_read_transaction_cannot_append_and_is_told_why()
    {
        await AppendNewStreamAsync();
        var late = Guid.NewGuid();
        await using var connection = await Db.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using (var snapshot = new Npgsql.NpgsqlCommand("SELECT count(*) FROM event_chain", connection, transaction))
        {
            (await snapshot.ExecuteScalarAsync()).ShouldBe(1L);
        }
        // Committed after the transaction's snapshot was taken: the chain's head moved on without it seeing.
        await AppendNewStreamAsync();
        foreach (var sql in InsertEventSql(late, "repeatable read"))
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }

        var error = await Should.ThrowAsync<Npgsql.PostgresException>(() => transaction.CommitAsync());

        error.SqlState.ShouldBe("LE012");
        error.MessageText.ShouldContain("READ COMMITTED");
        (await Store.ReadStreamAsync(late)).ShouldBeEmpty();
        (await Store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    // Regression: a deadlock that outlasted Marten's own replays reached the caller as a raw 40P01, not the typed conflict.
    [Fact]
    public async Task A_command_rolled_back_by_deadlocks_on_every_attempt_is_a_retryable_conflict_and_writes_nothing()
    {
        var first = await AppendNewStreamAsync();
        var second = await AppendNewStreamAsync();
        // Another writer holds the second stream and, each time the command holds the first and waits for the second,
        // asks for the first: a cycle. Its own deadlock check waits longer than the command's, so PostgreSQL rolls the
        // command back, not this writer, which then lets the first stream go (a savepoint) for the command's next attempt.
        await using var other = await Db.Owner.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        async Task OtherAsync(string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, other, transaction);
            await command.ExecuteNonQueryAsync();
        }
        await OtherAsync("SET LOCAL deadlock_timeout = '60s'");
        await OtherAsync($"SELECT 1 FROM mt_streams WHERE id = '{second}' FOR UPDATE");

        var append = Task.Run(() => Store.AppendAsync(
            [Samples.Append(first, 1, new SampleNoted(first, "first")), Samples.Append(second, 1, new SampleNoted(second, "second"))], Samples.Metadata()));
        var deadlocks = 0;
        for (var polls = 0; !append.IsCompleted && polls < 800; polls++)
        {
            await Task.Delay(25);
            if (await OwnerScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> $1", other.ProcessID) == 1)
            {
                await OtherAsync("SAVEPOINT cycle");
                await OtherAsync($"SELECT 1 FROM mt_streams WHERE id = '{first}' FOR UPDATE");
                await OtherAsync("ROLLBACK TO SAVEPOINT cycle");
                deadlocks++;
            }
        }
        await transaction.RollbackAsync();

        var error = await Should.ThrowAsync<ConcurrencyException>(() => append);
        deadlocks.ShouldBeGreaterThan(1, "the command was not replayed into a second deadlock: the race was not exercised");
        error.Retryable.ShouldBeTrue();
        error.Message.ShouldContain("nothing of this one was written");
        var inner = error.InnerException;
        while (inner is not (null or Npgsql.PostgresException))
        {
            inner = inner.InnerException;
        }
        inner.ShouldBeOfType<Npgsql.PostgresException>().SqlState.ShouldBe(Npgsql.PostgresErrorCodes.DeadlockDetected);
        (await Store.StreamVersionAsync(first)).ShouldBe(1);
        (await Store.StreamVersionAsync(second)).ShouldBe(1);
        (await CountsAsync()).ShouldBe((2L, 2L));
        (await Store.VerifyAsync()).Ok.ShouldBeTrue();
    }
}
