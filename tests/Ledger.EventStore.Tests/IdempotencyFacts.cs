namespace Ledger.EventStore.Tests;

/// <summary>An idempotency key is recorded in the append's transaction: a retry is answered with the first result, never appended twice.</summary>
public sealed class IdempotencyFacts : TestLedger
{
    [Fact]
    public async Task The_same_key_and_fingerprint_replays_the_first_result_with_its_stream_positions()
    {
        var a = Guid.NewGuid();
        var b = await AppendNewStreamAsync();
        StreamAppend[] command = [Samples.Append(a, ExpectedVersion.NoStream, Samples.Recorded(a), new SampleNoted(a, "x")), Samples.Append(b, 1, new SampleNoted(b, "y"))];

        var first = await Store.AppendAsync(command, Samples.Metadata("cmd-1"), "fp-a");
        var replayed = await Store.IdempotentResultAsync("cmd-1", "fp-a");

        first.Replayed.ShouldBeFalse();
        first.Streams.ShouldBe([new StreamPosition(a, 1, 2), new StreamPosition(b, 2, 2)]);
        replayed.ShouldNotBeNull();
        replayed.Replayed.ShouldBeTrue();
        replayed.Streams.ShouldBe(first.Streams);
        (await OwnerScalarAsync<string>("SELECT actor FROM idempotency_keys WHERE key = 'cmd-1'")).ShouldBe("clerk-1");
        (await Store.IdempotentResultAsync("cmd-unknown", "fp-a")).ShouldBeNull();
    }

    // Regression: the record of an append at any version used to claim versions (0, 0) that were never written.
    [Fact]
    public async Task A_replay_of_an_append_at_any_version_names_its_stream_and_no_versions()
    {
        var id = await AppendNewStreamAsync();

        var first = await Store.AppendAsync(Samples.Append(id, ExpectedVersion.Any, new SampleNoted(id, "x")), Samples.Metadata("cmd-any"), "fp");
        var replayed = await Store.IdempotentResultAsync("cmd-any", "fp");

        replayed!.Streams.ShouldBe([new StreamPosition(id, null, null)]);
        replayed.Streams.ShouldBe(first.Streams);
    }

    [Fact]
    public async Task The_same_key_with_a_different_fingerprint_is_a_typed_error()
    {
        var id = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata("cmd-2"), "fp-a");

        var error = await Should.ThrowAsync<IdempotencyConflictException>(() => Store.IdempotentResultAsync("cmd-2", "fp-b"));

        error.Key.ShouldBe("cmd-2");
        (await Store.IdempotentResultAsync("cmd-2", "fp-a"))!.Replayed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_second_append_under_a_used_key_appends_nothing()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(first, ExpectedVersion.NoStream, Samples.Recorded(first)), Samples.Metadata("cmd-3"), "fp");

        // AppendAsync's summary promises the first result back (Replayed); today the key's primary key refuses the
        // append instead (IdempotencyRaceException), and handlers ask IdempotentResultAsync first. Either way, nothing more is appended.
        try
        {
            var again = await Store.AppendAsync(Samples.Append(second, ExpectedVersion.NoStream, Samples.Recorded(second)), Samples.Metadata("cmd-3"), "fp");
            again.Replayed.ShouldBeTrue();
            again.Streams.ShouldBe([new StreamPosition(first, 1, 1)]);
        }
        catch (IdempotencyRaceException)
        {
        }

        (await Store.StreamVersionAsync(second)).ShouldBe(0);
        (await CountsAsync()).ShouldBe((1L, 1L));
    }

    [Fact]
    public async Task An_idempotency_key_without_a_fingerprint_is_refused_before_anything_is_written()
    {
        var id = Guid.NewGuid();

        await Should.ThrowAsync<ArgumentNullException>(
            () => Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata("cmd-4")));

        (await CountsAsync()).ShouldBe((0L, 0L));
    }

    [Fact]
    public async Task Two_concurrent_first_uses_of_one_key_commit_exactly_one()
    {
        var streams = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = streams.Select(stream => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await Store.AppendAsync(Samples.Append(stream, ExpectedVersion.NoStream, Samples.Recorded(stream)), Samples.Metadata("cmd-5"), "fp");
                return (Exception?)null;
            }
            catch (Exception e)
            {
                return e;
            }
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(e => e is null).ShouldBe(1);
        outcomes.Single(e => e is not null).ShouldBeOfType<IdempotencyRaceException>();
        var winner = streams[Array.FindIndex(outcomes, e => e is null)];
        var loser = streams[Array.FindIndex(outcomes, e => e is not null)];
        (await Store.StreamVersionAsync(winner)).ShouldBe(1);
        (await Store.StreamVersionAsync(loser)).ShouldBe(0);
        (await Store.IdempotentResultAsync("cmd-5", "fp"))!.Streams.ShouldBe([new StreamPosition(winner, 1, 1)]);
        (await CountsAsync()).ShouldBe((1L, 1L));
        (await Store.VerifyAsync()).Ok.ShouldBeTrue();
    }
}
