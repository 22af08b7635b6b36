namespace Ledger.EventStore.Tests;

/// <summary>
/// A batched import's set-based append (<see cref="EventStore.AppendInBulkAsync"/>) writes the rows Marten's append
/// function writes, checks versions as it does, and its events are chained like any other.
/// </summary>
public sealed class BulkAppendFacts : TestLedger
{
    private static readonly EventMetadata Metadata = new("importer-1", "admin", Guid.NewGuid(), Guid.NewGuid(), Reason: "import b-1", OsUser: "ops");

    private async Task BulkAsync(params StreamAppend[] streams)
    {
        await using var connection = await Store.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Store.AppendInBulkAsync(connection, transaction, new CommandAppend(streams, Metadata));
        await transaction.CommitAsync();
    }

    /// <summary>
    /// The decision's rows (not the stream's first event, appended with other metadata): every column but the row's own
    /// identity (seq_id, id, stream id and the stream id inside the data, timestamp), in stream and version order.
    /// </summary>
    private Task<IReadOnlyList<string>> EventRowsAsync(Guid first, Guid second) => OwnerColumnAsync<string>(
        "SELECT ROW(CASE stream_id WHEN $1 THEN 'first' ELSE 'second' END, version, data - 'sampleId', bdata, type, tenant_id, mt_dotnet_type, correlation_id, causation_id, " +
        "headers, user_name, is_archived)::text FROM mt_events WHERE stream_id IN ($1, $2) AND user_name = 'importer-1' ORDER BY stream_id = $1 DESC, version", first, second);

    private Task<IReadOnlyList<string>> StreamRowsAsync(Guid first, Guid second) => OwnerColumnAsync<string>(
        "SELECT ROW(CASE id WHEN $1 THEN 'first' ELSE 'second' END, type, version, tenant_id, compacted_version, is_archived, timestamp >= created)::text " +
        "FROM mt_streams WHERE id IN ($1, $2) ORDER BY id = $1 DESC", first, second);

    [Fact]
    public async Task A_bulk_append_writes_the_rows_Martens_append_writes_and_the_chain_links_them()
    {
        // The same decision twice: a new stream of two events and one more event on a stream of one.
        async Task<(Guid New, Guid Existing)> Decide(Func<StreamAppend[], Task> append)
        {
            var existing = await AppendNewStreamAsync(5m);
            var created = Guid.NewGuid();
            await append([
                Samples.Append(created, ExpectedVersion.NoStream, Samples.Recorded(created, 37100000.00m), new SampleNoted(created, "锡山区 2022")),
                Samples.Append(existing, 1, Samples.Recorded(existing, 0.01m)),
            ]);
            return (created, existing);
        }
        var marten = await Decide(streams => Store.AppendAsync(streams, Metadata));
        var bulk = await Decide(BulkAsync);

        var expected = await EventRowsAsync(marten.New, marten.Existing);
        expected.Count.ShouldBe(3);
        (await EventRowsAsync(bulk.New, bulk.Existing)).ShouldBe(expected);
        var streams = await StreamRowsAsync(marten.New, marten.Existing);
        streams.Count.ShouldBe(2);
        (await StreamRowsAsync(bulk.New, bulk.Existing)).ShouldBe(streams);
        (await Store.StreamVersionAsync(bulk.New)).ShouldBe(2);
        (await Store.StreamVersionAsync(bulk.Existing)).ShouldBe(2);
        var read = await Store.ReadStreamAsync(bulk.New);
        ((SampleRecorded)read[0].Data).Amount.ShouldBe(37100000.00m);
        ((SampleRecorded)read[0].Data).Amount.Scale.ShouldBe((byte)2);
        // One transaction: its events take consecutive seq_ids and positions, in stream and version order.
        (await OwnerColumnAsync<long>(
            "SELECT c.position FROM mt_events e JOIN event_chain c ON c.seq_id = e.seq_id WHERE e.stream_id IN ($1, $2) AND e.user_name = 'importer-1' ORDER BY e.seq_id", bulk.New, bulk.Existing))
            .ShouldBe([6L, 7L, 8L]);
        (await CountsAsync()).ShouldBe((8L, 8L));
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
        verified.Head.Position.ShouldBe(8);
    }

    [Fact]
    public async Task A_stale_expected_version_is_a_conflict_on_that_stream_and_nothing_of_the_commit_is_written()
    {
        var existing = await AppendNewStreamAsync();
        var created = Guid.NewGuid();

        var error = await Should.ThrowAsync<ConcurrencyException>(() => BulkAsync(
            Samples.Append(created, ExpectedVersion.NoStream, Samples.Recorded(created)),
            Samples.Append(existing, 2, Samples.Recorded(existing))));

        error.StreamId.ShouldBe(existing);
        error.Message.ShouldContain("changed since the command read it");
        (await CountsAsync()).ShouldBe((1L, 1L));
        (await OwnerScalarAsync<long>("SELECT count(*) FROM mt_streams")).ShouldBe(1);
    }

    [Fact]
    public async Task Starting_a_stream_that_exists_is_a_conflict_and_writes_nothing()
    {
        var existing = await AppendNewStreamAsync(7m);

        var error = await Should.ThrowAsync<ConcurrencyException>(() => BulkAsync(Samples.Append(existing, ExpectedVersion.NoStream, Samples.Recorded(existing, 8m))));

        error.StreamId.ShouldBe(existing);
        error.Message.ShouldContain("already exists");
        (await Store.ReadStreamAsync(existing)).Select(e => ((SampleRecorded)e.Data).Amount).ShouldBe([7m]);
        (await CountsAsync()).ShouldBe((1L, 1L));
    }

    [Fact]
    public async Task A_command_that_appends_while_a_bulk_append_holds_its_stream_gets_the_conflict_once_the_bulk_commits()
    {
        var id = await AppendNewStreamAsync();
        await using var connection = await Store.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Store.AppendInBulkAsync(connection, transaction, new CommandAppend([Samples.Append(id, 1, Samples.Recorded(id, 2m))], Metadata));

        // The command decided on version 1 too; it waits on the bulk append's uncommitted rows.
        var command = Task.Run(() => Store.AppendAsync(Samples.Append(id, 1, Samples.Recorded(id, 3m)), Samples.Metadata()));
        await Task.Delay(300);
        command.IsCompleted.ShouldBeFalse("the command should wait for the bulk append's transaction");
        await transaction.CommitAsync();

        var error = await Should.ThrowAsync<ConcurrencyException>(() => command);
        error.StreamId.ShouldBe(id);
        (await Store.ReadStreamAsync(id)).Select(e => ((SampleRecorded)e.Data).Amount).ShouldBe([1m, 2m]);
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
    }

    [Fact]
    public async Task A_bulk_append_that_meets_a_command_holding_its_stream_waits_and_gets_the_conflict_once_the_command_commits()
    {
        var id = await AppendNewStreamAsync();
        await using var connection = await Store.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var session = Store.Marten.LightweightSession(global::Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var pending = EventStore.Stage(session, new CommandAppend([Samples.Append(id, 1, Samples.Recorded(id, 3m))], Samples.Metadata()));
            await EventStore.SaveAsync(session, pending, CancellationToken.None);
        }

        // The import decided on version 1 too; it waits on the command's uncommitted event.
        var bulk = Task.Run(() => BulkAsync(Samples.Append(id, 1, Samples.Recorded(id, 2m))));
        await Task.Delay(300);
        bulk.IsCompleted.ShouldBeFalse("the bulk append should wait for the command's transaction");
        await transaction.CommitAsync();

        var error = await Should.ThrowAsync<ConcurrencyException>(() => bulk);
        error.StreamId.ShouldBe(id);
        (await Store.ReadStreamAsync(id)).Select(e => ((SampleRecorded)e.Data).Amount).ShouldBe([1m, 3m]);
        (await CountsAsync()).ShouldBe((2L, 2L));
    }

    [Fact]
    public async Task A_bulk_append_refuses_appends_at_any_version_and_idempotency_keys()
    {
        await using var connection = await Store.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = Guid.NewGuid();

        await Should.ThrowAsync<ArgumentException>(() => Store.AppendInBulkAsync(connection, transaction,
            new CommandAppend([Samples.Append(id, ExpectedVersion.Any, Samples.Recorded(id))], Metadata)));
        await Should.ThrowAsync<ArgumentException>(() => Store.AppendInBulkAsync(connection, transaction,
            new CommandAppend([Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id))], Metadata with { IdempotencyKey = "k-1" })));
        await transaction.RollbackAsync();
        (await CountsAsync()).ShouldBe((0L, 0L));
    }
}
