using Ledger.Testing;

namespace Ledger.EventStore.Tests;

/// <summary>
/// The per-process cache of folded streams: a fold reads only the events after the cached one, sees what another process
/// appended, is never used for a read with a limit, keeps fold types apart, and holds a bounded number of streams.
/// </summary>
public sealed class FoldCacheFacts : TestLedger
{
    private static int _evolved;

    private static string Evolve(string state, object e)
    {
        Interlocked.Increment(ref _evolved);
        return state + (e is SampleNoted n ? n.Note : "+");
    }

    private static int Count(int state, object e) => state + 1;

    [Fact]
    public async Task A_second_fold_reads_only_the_events_appended_since_and_sees_those_of_another_process()
    {
        var id = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, new SampleNoted(id, "a"), new SampleNoted(id, "b"), new SampleNoted(id, "c")), Samples.Metadata());
        // Another process: its own store (and cache) over the same database.
        var other = TestStores.Create(Db, typeof(SampleRecorded).Assembly);
        try
        {
            var before = Volatile.Read(ref _evolved);
            (await Store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("abc", 3));
            (Volatile.Read(ref _evolved) - before).ShouldBe(3);

            await other.AppendAsync(Samples.Append(id, 3, new SampleNoted(id, "d"), new SampleNoted(id, "e")), Samples.Metadata());
            before = Volatile.Read(ref _evolved);
            (await Store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("abcde", 5));
            (Volatile.Read(ref _evolved) - before).ShouldBe(2, "the fold went over events it had folded before");

            before = Volatile.Read(ref _evolved);
            (await Store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("abcde", 5));
            (Volatile.Read(ref _evolved) - before).ShouldBe(0);
            // The other process's own first fold starts from nothing and agrees.
            (await other.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("abcde", 5));
        }
        finally
        {
            other.Marten.Dispose();
        }
    }

    [Fact]
    public async Task A_fold_with_a_limit_neither_uses_nor_fills_the_cache()
    {
        var id = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, new SampleNoted(id, "a"), new SampleNoted(id, "b"), new SampleNoted(id, "c")), Samples.Metadata());
        (await Store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("abc", 3));

        (await Store.AggregateStreamAsync(id, "", Evolve, ReadLimit.AtVersion(2))).ShouldBe(new Aggregated<string>("ab", 2));
        (await Store.AggregateStreamAsync(id, "", Evolve, ReadLimit.AtPosition(1))).ShouldBe(new Aggregated<string>("a", 1));
        (await Store.AggregateStreamAsync(id, "", Evolve, ReadLimit.AtSeq(0))).ShouldBe(new Aggregated<string>("", 0));

        var before = Volatile.Read(ref _evolved);
        (await Store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("abc", 3));
        (Volatile.Read(ref _evolved) - before).ShouldBe(0);
    }

    [Fact]
    public async Task Two_folds_of_one_stream_are_cached_apart_and_a_capturing_fold_is_not_cached()
    {
        var id = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, new SampleNoted(id, "a"), new SampleNoted(id, "b")), Samples.Metadata());

        (await Store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("ab", 2));
        (await Store.AggregateStreamAsync(id, 0, Count)).ShouldBe(new Aggregated<int>(2, 2));
        (await Store.AggregateStreamAsync(id, 10, Count)).ShouldBe(new Aggregated<int>(2, 2), "one fold type and function is one cached fold: the initial state is the stream's");
        foreach (var suffix in new[] { "!", "?" })
        {
            (await Store.AggregateStreamAsync(id, "", (s, e) => Evolve(s, e) + suffix)).ShouldBe(new Aggregated<string>($"a{suffix}b{suffix}", 2));
        }
    }

    [Fact]
    public async Task A_stream_appended_after_a_fold_of_nothing_is_folded_whole()
    {
        var id = Guid.NewGuid();
        (await Store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("", 0));

        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, new SampleNoted(id, "a")), Samples.Metadata());

        (await Store.AggregateStreamAsync(id, "", Evolve)).ShouldBe(new Aggregated<string>("a", 1));
    }

    [Fact]
    public async Task Several_streams_fold_together_each_from_its_cached_fold_and_agree_with_folding_them_one_by_one()
    {
        var (a, b, none) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await Store.AppendAsync(Samples.Append(a, ExpectedVersion.NoStream, new SampleNoted(a, "a1"), new SampleNoted(a, "a2")), Samples.Metadata());
        await Store.AppendAsync(Samples.Append(b, ExpectedVersion.NoStream, new SampleNoted(b, "b1")), Samples.Metadata());
        (await Store.AggregateStreamAsync(a, "", Evolve)).ShouldBe(new Aggregated<string>("a1a2", 2));
        await Store.AppendAsync(Samples.Append(a, 2, new SampleNoted(a, "a3")), Samples.Metadata());

        var folds = (new StreamFold<string>(a, "", Evolve), new StreamFold<int>(a, 0, Count), new StreamFold<string>(b, "", Evolve), new StreamFold<string>(none, "", Evolve));
        var before = Volatile.Read(ref _evolved);
        await Store.AggregateStreamsAsync([folds.Item1, folds.Item2, folds.Item3, folds.Item4]);

        folds.Item1.Result.ShouldBe(new Aggregated<string>("a1a2a3", 3));
        folds.Item2.Result.ShouldBe(new Aggregated<int>(3, 3));
        folds.Item3.Result.ShouldBe(new Aggregated<string>("b1", 1));
        folds.Item4.Result.ShouldBe(new Aggregated<string>("", 0));
        (Volatile.Read(ref _evolved) - before).ShouldBe(2, "a's cached fold was read again, or b's was not read");
        (await Store.AggregateStreamAsync(b, "", Evolve)).ShouldBe(folds.Item3.Result);
    }

    [Fact]
    public void The_cache_drops_the_least_recently_used_entry_to_take_one_over_its_capacity()
    {
        var cache = new BoundedCache<string, int>(2);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.TryGet("a", out _).ShouldBeTrue();

        cache.Set("c", 3);

        cache.Count.ShouldBe(2);
        cache.TryGet("b", out _).ShouldBeFalse();
        cache.TryGet("a", out var a).ShouldBeTrue();
        a.ShouldBe(1);
        cache.TryGet("c", out var c).ShouldBeTrue();
        c.ShouldBe(3);
        cache.Set("c", 2, held => held < 2);
        cache.TryGet("c", out c).ShouldBeTrue();
        c.ShouldBe(3, "a shorter fold replaced a longer one");
    }
}
