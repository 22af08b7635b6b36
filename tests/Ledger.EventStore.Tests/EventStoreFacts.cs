using Ledger.Testing;
using NodaTime;
using Npgsql;

namespace Ledger.EventStore.Tests;

public sealed class EventStoreFacts : IAsyncLifetime
{
    private LedgerDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _store = new EventStore(_db.App, Samples.Types);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Events_round_trip_with_dates_instants_exact_decimals_and_chinese_text()
    {
        var id = Guid.NewGuid();
        var big = new SampleRecorded(id, "2022年锡山对“专精特新”企业奖励资金合计达3710万元", 37100000.00m,
            new LocalDate(2022, 12, 31), Instant.FromUtc(2023, 2, 19, 1, 2, 3).PlusNanoseconds(123_456_700), new LocalDate(2025, 12, 31));
        var small = Samples.Recorded(id, 0.01m, "海盐县");

        await _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, big, small), Samples.Metadata());
        var read = await _store.ReadStreamAsync(id);

        read.Select(e => e.Data).ShouldBe([big, small]);
        ((SampleRecorded)read[0].Data).Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("37100000.00");
        ((SampleRecorded)read[1].Data).Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("0.01");
        read.Select(e => e.EventType).ShouldBe(["sample-recorded", "sample-recorded"]);
        read.Select(e => e.StreamVersion).ShouldBe([1L, 2L]);
        read[0].Metadata.Actor.ShouldBe("clerk-1");
        read[0].CountyCode.ShouldBe("320205");
    }

    [Fact]
    public async Task Application_sessions_run_as_the_role_that_cannot_change_events()
    {
        await using var command = _db.App.CreateCommand("SELECT current_user");
        (await command.ExecuteScalarAsync()).ShouldBe("ledger_app");
    }

    [Fact]
    public async Task Appends_to_a_stale_version_get_a_concurrency_exception_and_write_nothing()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata());

        var error = await Should.ThrowAsync<ConcurrencyException>(
            () => _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata()));

        error.StreamId.ShouldBe(id);
        error.ExpectedVersion.ShouldBe(0);
        error.ActualVersion.ShouldBe(1);
        (await _store.ReadStreamAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_expected_version_ahead_of_the_stream_is_a_conflict_and_any_appends_whatever_the_version()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync(Samples.Append(id, ExpectedVersion.Any, Samples.Recorded(id)), Samples.Metadata());
        await _store.AppendAsync(Samples.Append(id, ExpectedVersion.Any, Samples.Recorded(id)), Samples.Metadata());

        var error = await Should.ThrowAsync<ConcurrencyException>(
            () => _store.AppendAsync(Samples.Append(id, 5, Samples.Recorded(id)), Samples.Metadata()));

        (error.ExpectedVersion, error.ActualVersion).ShouldBe((5L, 2L));
        (await _store.StreamVersionAsync(id)).ShouldBe(2);
        (await _store.ReadStreamAsync(Guid.NewGuid())).ShouldBeEmpty();
        (await _store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task Twenty_parallel_appends_at_one_expected_version_let_exactly_one_win()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata());
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await _store.AppendAsync(Samples.Append(id, 1, new SampleNoted(id, $"writer {i}")), Samples.Metadata());
                return "won";
            }
            catch (ConcurrencyException)
            {
                return "conflict";
            }
        })).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(o => o == "won").ShouldBe(1);
        outcomes.Count(o => o == "conflict").ShouldBe(19);
        (await _store.ReadStreamAsync(id)).Count(e => e.Data is SampleNoted).ShouldBe(1);
    }

    [Fact]
    public async Task Eight_writers_appending_500_times_each_leave_seq_1_to_4000_without_gap_and_a_verifying_chain()
    {
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var stream = Guid.NewGuid();
            for (var i = 0; i < 500; i++)
            {
                await _store.AppendAsync(Samples.Append(stream, i, Samples.Recorded(stream, i + 0.01m)), Samples.Metadata());
            }
        })).ToArray();
        await Task.WhenAll(writers);

        var seqs = new List<long>();
        await foreach (var e in _store.ReadAllAsync(pageSize: 700))
        {
            seqs.Add(e.Seq);
        }
        seqs.ShouldBe(Enumerable.Range(1, 4000).Select(i => (long)i));
        var verified = await _store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
        verified.EventsChecked.ShouldBe(4000);
        verified.Head.Seq.ShouldBe(4000);
    }

    [Fact]
    public async Task A_transaction_that_fails_after_taking_a_seq_leaves_no_gap()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata());
        var failing = new EventStore(_db.App, Samples.Types, [new FailingProjection()]);

        await Should.ThrowAsync<InvalidOperationException>(
            () => failing.AppendAsync(Samples.Append(id, 1, new SampleNoted(id, "taken, then rolled back")), Samples.Metadata()));
        var next = await _store.AppendAsync(Samples.Append(id, 1, Samples.Recorded(id)), Samples.Metadata());

        next.FirstSeq.ShouldBe(2);
        (await _store.ReadStreamAsync(id)).Select(e => e.Seq).ShouldBe([1L, 2L]);
        (await _store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task The_same_idempotency_key_and_command_returns_the_first_result_and_appends_nothing()
    {
        var id = Guid.NewGuid();
        var first = await _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata("cmd-1"), "fp-a");
        var again = await _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata("cmd-1"), "fp-a");

        again.Replayed.ShouldBeTrue();
        first.Replayed.ShouldBeFalse();
        again.FirstSeq.ShouldBe(first.FirstSeq);
        again.RecordedAt.ShouldBe(first.RecordedAt);
        again.Streams.ShouldBe(first.Streams);
        (await _store.HeadAsync()).Seq.ShouldBe(1);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_a_different_command_is_a_typed_error()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata("cmd-2"), "fp-a");

        var error = await Should.ThrowAsync<IdempotencyConflictException>(
            () => _store.AppendAsync(Samples.Append(id, 1, Samples.Recorded(id, 2m)), Samples.Metadata("cmd-2"), "fp-b"));

        error.Key.ShouldBe("cmd-2");
        (await _store.HeadAsync()).Seq.ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_command_append_it_once()
    {
        var id = Guid.NewGuid();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(
            () => _store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata("cmd-3"), "fp"))));

        results.Count(r => !r.Replayed).ShouldBe(1);
        results.Select(r => r.FirstSeq).Distinct().ShouldBe([1L]);
        (await _store.ReadStreamAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_retries_of_a_command_on_two_streams_append_it_once_and_answer_alike()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        StreamAppend[] command = [Samples.Append(a, ExpectedVersion.NoStream, Samples.Recorded(a)), Samples.Append(b, ExpectedVersion.NoStream, Samples.Recorded(b))];

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(
            () => _store.AppendAsync(command, Samples.Metadata("cmd-4"), "fp"))));

        results.Count(r => !r.Replayed).ShouldBe(1);
        results.ShouldAllBe(r => r.FirstSeq == 1 && r.LastSeq == 2 && r.Streams.Count == 2);
        results.Select(r => r.RecordedAt).Distinct().Count().ShouldBe(1);
        (await _store.HeadAsync()).Seq.ShouldBe(2);
        await Should.ThrowAsync<IdempotencyConflictException>(() => _store.AppendAsync([command[0]], Samples.Metadata("cmd-4"), "other"));
    }

    [Fact]
    public async Task A_natural_key_held_by_another_stream_is_refused_naming_that_stream()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await _store.AppendAsync(Samples.Append(first, ExpectedVersion.NoStream, Samples.Recorded(first)) with { NaturalKey = "91350100M000100Y43" }, Samples.Metadata());

        var error = await Should.ThrowAsync<NaturalKeyTakenException>(() => _store.AppendAsync(
            Samples.Append(second, ExpectedVersion.NoStream, Samples.Recorded(second)) with { NaturalKey = "91350100M000100Y43" }, Samples.Metadata()));

        error.ExistingStreamId.ShouldBe(first);
        (await _store.FindStreamAsync("sample", "91350100M000100Y43")).ShouldBe(first);
        (await _store.StreamVersionAsync(second)).ShouldBe(0);
    }

    [Fact]
    public async Task One_command_may_append_to_several_streams_atomically()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        await _store.AppendAsync(Samples.Append(b, ExpectedVersion.NoStream, Samples.Recorded(b)), Samples.Metadata());

        await Should.ThrowAsync<ConcurrencyException>(() => _store.AppendAsync(
            [Samples.Append(a, ExpectedVersion.NoStream, Samples.Recorded(a)), Samples.Append(b, ExpectedVersion.NoStream, Samples.Recorded(b))], Samples.Metadata()));
        (await _store.StreamVersionAsync(a)).ShouldBe(0);

        var result = await _store.AppendAsync(
            [Samples.Append(a, ExpectedVersion.NoStream, Samples.Recorded(a)), Samples.Append(b, 1, new SampleNoted(b, "x"))], Samples.Metadata());
        result.Streams.ShouldBe([new StreamPosition(a, 1, 1), new StreamPosition(b, 2, 2)]);
        result.LastSeq.ShouldBe(result.FirstSeq + 1);
    }

    [Fact]
    public async Task A_batch_of_commands_commits_together_or_not_at_all()
    {
        var streams = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
        var batch = streams.Select(s => new CommandAppend([Samples.Append(s, ExpectedVersion.NoStream, Samples.Recorded(s))], Samples.Metadata())).ToList();

        var results = await _store.AppendBatchAsync(batch);
        results.Select(r => r.FirstSeq).ShouldBe(Enumerable.Range(1, 100).Select(i => (long)i));

        var clash = new List<CommandAppend>
        {
            new([Samples.Append(Guid.NewGuid(), ExpectedVersion.NoStream, Samples.Recorded(Guid.NewGuid()))], Samples.Metadata()),
            new([Samples.Append(streams[0], ExpectedVersion.NoStream, Samples.Recorded(streams[0]))], Samples.Metadata()),
        };
        await Should.ThrowAsync<ConcurrencyException>(() => _store.AppendBatchAsync(clash));
        (await _store.HeadAsync()).Seq.ShouldBe(100);
    }

    [Fact]
    public async Task A_stream_aggregates_as_of_a_version_a_seq_and_an_instant()
    {
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        var r1 = await _store.AppendAsync(Samples.Append(id, 0, new SampleNoted(id, "a")), Samples.Metadata());
        await _store.AppendAsync(Samples.Append(other, 0, new SampleNoted(other, "elsewhere")), Samples.Metadata());
        var r2 = await _store.AppendAsync(Samples.Append(id, 1, new SampleNoted(id, "b")), Samples.Metadata());
        await _store.AppendAsync(Samples.Append(id, 2, new SampleNoted(id, "c")), Samples.Metadata());

        static string Evolve(string state, object e) => state + ((SampleNoted)e).Note;

        (await _store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("abc", 3));
        (await _store.AggregateStreamAsync(id, "", Evolve, ReadLimit.AtVersion(2))).ShouldBe(new Aggregated<string>("ab", 2));
        (await _store.AggregateStreamAsync(id, "", Evolve, ReadLimit.AtSeq(r2.FirstSeq - 1))).ShouldBe(new Aggregated<string>("a", 1));
        (await _store.AggregateStreamAsync(id, "", Evolve, ReadLimit.At(r2.RecordedAt))).State.ShouldBe("ab");
        (await _store.AggregateStreamAsync(id, "", Evolve, ReadLimit.At(r1.RecordedAt - Duration.FromNanoseconds(1000)))).ShouldBe(new Aggregated<string>("", 0));
    }

    [Fact]
    public async Task Reading_all_pages_through_the_log_in_order_and_filters_by_type()
    {
        var id = Guid.NewGuid();
        var batch = Enumerable.Range(0, 250).Select(i => (object)(i % 5 == 0 ? new SampleNoted(id, $"n{i}") : Samples.Recorded(id, i))).ToArray();
        await _store.AppendAsync(Samples.Append(id, 0, batch), Samples.Metadata());

        var all = new List<StoredEvent>();
        await foreach (var e in _store.ReadAllAsync(fromSeq: 11, pageSize: 7))
        {
            all.Add(e);
        }
        var noted = new List<StoredEvent>();
        await foreach (var e in _store.ReadAllAsync(eventTypes: ["sample-noted"], pageSize: 9))
        {
            noted.Add(e);
        }

        all.Select(e => e.Seq).ShouldBe(Enumerable.Range(11, 240).Select(i => (long)i));
        noted.Count.ShouldBe(50);
        noted.ShouldAllBe(e => e.Data is SampleNoted);
    }

    [Fact]
    public async Task Reading_all_as_of_an_instant_stops_at_what_was_recorded_by_then()
    {
        var id = Guid.NewGuid();
        var first = await _store.AppendAsync(Samples.Append(id, 0, new SampleNoted(id, "a"), new SampleNoted(id, "b")), Samples.Metadata());
        await _store.AppendAsync(Samples.Append(id, 2, new SampleNoted(id, "c")), Samples.Metadata());

        var seen = new List<long>();
        await foreach (var e in _store.ReadAllAsync(limit: ReadLimit.At(first.RecordedAt), pageSize: 1))
        {
            seen.Add(e.Seq);
        }
        var none = new List<long>();
        await foreach (var e in _store.ReadAllAsync(limit: ReadLimit.At(first.RecordedAt - Duration.FromNanoseconds(1000))))
        {
            none.Add(e.Seq);
        }

        seen.ShouldBe([1L, 2L]);
        none.ShouldBeEmpty();
    }

    [Fact]
    public async Task Inline_projections_see_the_append_in_its_transaction()
    {
        await using (var create = _db.Owner.CreateCommand("CREATE TABLE sample_notes (sample_id uuid PRIMARY KEY, notes int NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var store = new EventStore(_db.App, Samples.Types, [new NoteCounter()]);
        var id = Guid.NewGuid();

        await store.AppendAsync(Samples.Append(id, 0, new SampleNoted(id, "a"), Samples.Recorded(id), new SampleNoted(id, "b")), Samples.Metadata());
        await store.AppendAsync(Samples.Append(id, 3, new SampleNoted(id, "c")), Samples.Metadata());

        await using var read = _db.App.CreateCommand($"SELECT notes FROM sample_notes WHERE sample_id = '{id}'");
        (await read.ExecuteScalarAsync()).ShouldBe(3);
    }

    private sealed class FailingProjection : IInlineProjection
    {
        public bool Handles(string eventType) => eventType == "sample-noted";

        public Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("read model refused the event");
    }

    private sealed class NoteCounter : IInlineProjection
    {
        public bool Handles(string eventType) => eventType == "sample-noted";

        public async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                await using var upsert = new NpgsqlCommand(
                    "INSERT INTO sample_notes VALUES ($1, 1) ON CONFLICT (sample_id) DO UPDATE SET notes = sample_notes.notes + 1", connection);
                upsert.Parameters.Add(new NpgsqlParameter { Value = e.StreamId });
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }
}
