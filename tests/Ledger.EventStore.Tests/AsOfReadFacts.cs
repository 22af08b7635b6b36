using NodaTime;
using Npgsql;

namespace Ledger.EventStore.Tests;

/// <summary>
/// Reads as of a stream version, a seq_id, a chain position or an instant (the chain's chained_at), and the whole log in
/// chain order. Every test starts from stream A: v1 "a" (position 1), another stream (2), A v2 "b" (3), and one command
/// appending A v3 "c", v4 (a recorded sample, "+") and v5 "d" (positions 4–6, one chained_at). seq_id equals position.
/// </summary>
public sealed class AsOfReadFacts : TestLedger
{
    private static readonly Duration Microsecond = Duration.FromNanoseconds(1000);
    private Guid _a;
    private Guid _other;
    private Instant[] _chainedAt = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _a = Guid.NewGuid();
        _other = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(_a, ExpectedVersion.NoStream, Note(_a, "a")), Samples.Metadata());
        await Store.AppendAsync(Samples.Append(_other, ExpectedVersion.NoStream, Note(_other, "elsewhere")), Samples.Metadata());
        await Store.AppendAsync(Samples.Append(_a, 1, Note(_a, "b")), Samples.Metadata());
        await Store.AppendAsync(Samples.Append(_a, 2, Note(_a, "c"), Samples.Recorded(_a), Note(_a, "d")), Samples.Metadata());
        // Index i holds position i's chained_at (index 0 unused).
        _chainedAt = [Instant.MinValue, .. (await OwnerColumnAsync<DateTime>("SELECT chained_at FROM event_chain ORDER BY position")).Select(Instant.FromDateTimeUtc)];
    }

    private static SampleNoted Note(Guid id, string note) => new(id, note);

    private static string Evolve(string state, object e) => e is SampleNoted n ? state + n.Note : state + "+";

    [Fact]
    public async Task The_setup_is_chained_as_the_tests_assume()
    {
        (await OwnerColumnAsync<long>("SELECT seq_id FROM event_chain ORDER BY position")).ShouldBe([1L, 2L, 3L, 4L, 5L, 6L]);
        _chainedAt[4].ShouldBe(_chainedAt[5]);
        _chainedAt[5].ShouldBe(_chainedAt[6]);
        _chainedAt[1].ShouldBeLessThan(_chainedAt[2]);
        _chainedAt[2].ShouldBeLessThan(_chainedAt[3]);
        _chainedAt[3].ShouldBeLessThan(_chainedAt[4]);
    }

    [Fact]
    public async Task A_stream_aggregates_as_of_a_version_a_seq_a_position_and_an_instant()
    {
        (await Store.AggregateStreamAsync(_a, "", Evolve)).ShouldBe(new Aggregated<string>("abc+d", 5));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.None)).ShouldBe(new Aggregated<string>("abc+d", 5));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.AtVersion(2))).ShouldBe(new Aggregated<string>("ab", 2));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.AtVersion(0))).ShouldBe(new Aggregated<string>("", 0));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.AtSeq(2))).ShouldBe(new Aggregated<string>("a", 1));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.AtSeq(5))).ShouldBe(new Aggregated<string>("abc+", 4));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.AtPosition(3))).ShouldBe(new Aggregated<string>("ab", 2));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.AtPosition(2))).ShouldBe(new Aggregated<string>("a", 1));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.At(_chainedAt[3]))).ShouldBe(new Aggregated<string>("ab", 2));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.At(_chainedAt[4] - Microsecond))).ShouldBe(new Aggregated<string>("ab", 2));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.At(_chainedAt[4]))).ShouldBe(new Aggregated<string>("abc+d", 5));
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.At(_chainedAt[1] - Microsecond))).ShouldBe(new Aggregated<string>("", 0));
        (await Store.AggregateStreamAsync(Guid.NewGuid(), "", Evolve)).ShouldBe(new Aggregated<string>("", 0));
    }

    [Fact]
    public async Task Limits_combine_and_the_tightest_wins()
    {
        (await Store.AggregateStreamAsync(_a, "", Evolve, new ReadLimit(UpToVersion: 4, AsOf: _chainedAt[3]))).Version.ShouldBe(2);
        (await Store.AggregateStreamAsync(_a, "", Evolve, new ReadLimit(UpToVersion: 1, AsOf: _chainedAt[6]))).Version.ShouldBe(1);
        (await Store.AggregateStreamAsync(_a, "", Evolve, new ReadLimit(UpToSeq: 5, UpToPosition: 3))).Version.ShouldBe(2);
        (await Store.ReadStreamAsync(_a, new ReadLimit(UpToSeq: 3, UpToPosition: 6))).Select(e => e.StreamVersion).ShouldBe([1L, 2L]);
    }

    [Fact]
    public async Task A_stream_reads_as_of_a_version_a_seq_a_position_and_an_instant_with_its_links()
    {
        async Task<long[]> Versions(ReadLimit? limit) => [.. (await Store.ReadStreamAsync(_a, limit)).Select(e => e.StreamVersion)];

        (await Versions(null)).ShouldBe([1L, 2L, 3L, 4L, 5L]);
        (await Versions(ReadLimit.AtVersion(3))).ShouldBe([1L, 2L, 3L]);
        (await Versions(ReadLimit.AtSeq(4))).ShouldBe([1L, 2L, 3L]);
        (await Versions(ReadLimit.AtPosition(2))).ShouldBe([1L]);
        (await Versions(ReadLimit.At(_chainedAt[2]))).ShouldBe([1L]);
        (await Versions(ReadLimit.At(_chainedAt[6]))).ShouldBe([1L, 2L, 3L, 4L, 5L]);
        (await Versions(ReadLimit.At(_chainedAt[1] - Microsecond))).ShouldBeEmpty();
        var read = await Store.ReadStreamAsync(_a);
        read.Select(e => e.Position).ShouldBe([1L, 3L, 4L, 5L, 6L]);
        read.Select(e => e.ChainedAt).ShouldBe([_chainedAt[1], _chainedAt[3], _chainedAt[4], _chainedAt[5], _chainedAt[6]]);
        read[1].Hash.ShouldBe(await OwnerScalarAsync<byte[]>("SELECT hash FROM event_chain WHERE position = 3"));
    }

    [Fact]
    public async Task An_instant_in_the_future_reads_as_now()
    {
        var future = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(365);

        (await Store.PositionAtAsync(future)).ShouldBe(6);
        (await Store.AggregateStreamAsync(_a, "", Evolve, ReadLimit.At(future))).Version.ShouldBe(5);
        (await Store.PositionAtAsync(_chainedAt[3])).ShouldBe(3);
        (await Store.PositionAtAsync(_chainedAt[1] - Microsecond)).ShouldBe(0);
    }

    [Fact]
    public async Task Reading_all_pages_one_event_at_a_time_through_the_log_in_chain_order()
    {
        var all = await ReadAllAsync(pageSize: 1);
        var fromThree = await ReadAllAsync(fromPosition: 3, pageSize: 2);
        var defaultPaging = await ReadAllAsync();

        all.Select(e => e.Position).ShouldBe([1L, 2L, 3L, 4L, 5L, 6L]);
        all.Select(e => e.StreamId).ShouldBe([_a, _other, _a, _a, _a, _a]);
        fromThree.Select(e => e.Position).ShouldBe([3L, 4L, 5L, 6L]);
        defaultPaging.Select(e => e.Hash).ShouldBe(all.Select(e => e.Hash));
        (await ReadAllAsync(fromPosition: 7)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Reading_all_filters_by_type_and_stops_at_the_limit()
    {
        var noted = await ReadAllAsync(eventTypes: ["sample-noted"], pageSize: 1);
        var recorded = await ReadAllAsync(eventTypes: ["sample-recorded"], pageSize: 1);
        var both = await ReadAllAsync(eventTypes: ["sample-noted", "sample-recorded"], pageSize: 4);
        var asOf = await ReadAllAsync(limit: ReadLimit.At(_chainedAt[3]), pageSize: 1);
        var toPosition = await ReadAllAsync(limit: ReadLimit.AtPosition(4), eventTypes: ["sample-noted"], pageSize: 1);
        var toSeq = await ReadAllAsync(limit: ReadLimit.AtSeq(2), pageSize: 1);

        noted.Select(e => e.Position).ShouldBe([1L, 2L, 3L, 4L, 6L]);
        noted.ShouldAllBe(e => e.Data is SampleNoted && e.EventType == "sample-noted");
        recorded.Select(e => e.Position).ShouldBe([5L]);
        both.Count.ShouldBe(6);
        asOf.Select(e => e.Position).ShouldBe([1L, 2L, 3L]);
        toPosition.Select(e => e.Position).ShouldBe([1L, 2L, 3L, 4L]);
        toSeq.Select(e => e.Position).ShouldBe([1L, 2L]);
        (await ReadAllAsync(eventTypes: ["no-such-type"])).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_chain_orders_by_commit_so_a_seq_drawn_early_but_committed_late_comes_after()
    {
        var late = Guid.NewGuid();
        var early = Guid.NewGuid();
        await using var connection = await Db.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in InsertEventSql(late, "drawn first, committed last"))
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        await Store.AppendAsync(Samples.Append(early, ExpectedVersion.NoStream, Note(early, "drawn second, committed first")), Samples.Metadata());
        await transaction.CommitAsync();

        var tail = await ReadAllAsync(fromPosition: 7, pageSize: 1);

        tail.Select(e => e.StreamId).ShouldBe([early, late]);
        tail.Select(e => e.Position).ShouldBe([7L, 8L]);
        tail.Select(e => e.Seq).ShouldBe([8L, 7L]);
        // As of seq 7 the late stream's event counts and the early one does not; as of position 7 the other way round.
        (await Store.ReadStreamAsync(late, ReadLimit.AtSeq(7))).Count.ShouldBe(1);
        (await Store.ReadStreamAsync(early, ReadLimit.AtSeq(7))).ShouldBeEmpty();
        (await Store.ReadStreamAsync(late, ReadLimit.AtPosition(7))).ShouldBeEmpty();
        (await Store.ReadStreamAsync(early, ReadLimit.AtPosition(7))).Count.ShouldBe(1);
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
    }

    [Fact]
    public async Task An_instant_read_waits_for_a_transaction_chained_by_then_but_still_committing()
    {
        var stream = Guid.NewGuid();
        await using var writer = await Db.App.OpenConnectionAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        // Chain now (taking the chain's lock) but commit later: the link's chained_at is before the read's instant.
        foreach (var sql in (string[])[.. InsertEventSql(stream, "committing"), "SET CONSTRAINTS mt_events_chain IMMEDIATE"])
        {
            await using var command = new NpgsqlCommand(sql, writer, transaction);
            await command.ExecuteNonQueryAsync();
        }

        var read = Store.PositionAtAsync(SystemClock.Instance.GetCurrentInstant() + Duration.FromMinutes(1));
        await Task.Delay(300);
        read.IsCompleted.ShouldBeFalse();
        await transaction.CommitAsync();

        (await read).ShouldBe(7);
    }

    private async Task<List<StoredEvent>> ReadAllAsync(long fromPosition = 1, ReadLimit? limit = null, IReadOnlyCollection<string>? eventTypes = null, int pageSize = 500)
    {
        var events = new List<StoredEvent>();
        await foreach (var e in Store.ReadAllAsync(fromPosition, limit, eventTypes, pageSize))
        {
            events.Add(e);
        }
        return events;
    }
}
