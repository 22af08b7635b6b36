using System.Globalization;
using System.Text.Json;
using NodaTime;
using Npgsql;

namespace Ledger.EventStore.Tests;

/// <summary>What goes into Marten comes back out, and mt_events holds it in the form auditors and exports read.</summary>
public sealed class RoundTripFacts : TestLedger
{
    [Fact]
    public async Task Events_round_trip_with_dates_instants_exact_decimals_and_chinese_text()
    {
        var id = Guid.NewGuid();
        var big = new SampleRecorded(id, "2022年锡山对“专精特新”企业奖励资金合计达3710万元", 37100000.00m,
            new LocalDate(2022, 12, 31), Instant.FromUtc(2023, 2, 19, 1, 2, 3).PlusNanoseconds(123_456_700), new LocalDate(2025, 12, 31));
        var small = Samples.Recorded(id, 0.01m, "海盐县");

        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, big, small), Samples.Metadata());
        var read = await Store.ReadStreamAsync(id);

        read.Select(e => e.Data).ShouldBe([big, small]);
        ((SampleRecorded)read[0].Data).Amount.ToString(CultureInfo.InvariantCulture).ShouldBe("37100000.00");
        ((SampleRecorded)read[1].Data).Amount.ToString(CultureInfo.InvariantCulture).ShouldBe("0.01");
        read.Select(e => e.StreamVersion).ShouldBe([1L, 2L]);
        read.Select(e => e.Position).ShouldBe([1L, 2L]);
    }

    [Fact]
    public async Task The_jsonb_keeps_the_decimal_scale_iso_dates_and_unescaped_chinese_text()
    {
        var id = Guid.NewGuid();
        var big = new SampleRecorded(id, "锡山区“专精特新”", 37100000.00m,
            new LocalDate(2022, 12, 31), Instant.FromUtc(2023, 2, 19, 1, 2, 3).PlusNanoseconds(123_456_700), new LocalDate(2025, 12, 31));
        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, big, Samples.Recorded(id, 0.01m, "海盐县")), Samples.Metadata());

        var data = await OwnerColumnAsync<string>("SELECT data::text FROM mt_events WHERE stream_id = $1 ORDER BY version", id);

        data[0].ShouldContain("\"amount\": 37100000.00");
        data[0].ShouldContain("\"text\": \"锡山区“专精特新”\"");
        data[0].ShouldContain("\"on\": \"2022-12-31\"");
        data[0].ShouldContain("\"at\": \"2023-02-19T01:02:03.1234567Z\"");
        data[0].ShouldContain("\"until\": \"2025-12-31\"");
        data[1].ShouldContain("\"amount\": 0.01");
        data[1].ShouldContain("\"text\": \"海盐县\"");
        data[1].ShouldContain("\"until\": null");
        data.ShouldAllBe(d => !d.Contains("\\u", StringComparison.Ordinal));
        // The amount is a JSON number, not a string, so SQL reports can sum it exactly.
        (await OwnerScalarAsync<decimal>("SELECT sum((data->>'amount')::numeric) FROM mt_events WHERE stream_id = $1", id)).ShouldBe(37100000.01m);
    }

    [Fact]
    public async Task Mt_events_holds_the_stable_event_type_names_never_clr_names()
    {
        var id = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id), new SampleNoted(id, "备注")), Samples.Metadata());

        var types = await OwnerColumnAsync<string>("SELECT type FROM mt_events ORDER BY seq_id");

        types.ShouldBe(["sample-recorded", "sample-noted"]);
        (await Store.ReadStreamAsync(id)).Select(e => e.EventType).ShouldBe(["sample-recorded", "sample-noted"]);
        // Marten's own column for the CLR type may name it; the hash covers it, reads never use it.
        (await OwnerScalarAsync<long>("SELECT count(*) FROM mt_events WHERE type LIKE '%.%' OR type LIKE '%,%' OR type ~ '[A-Z]'")).ShouldBe(0);
    }

    // Regression: the stream's type was dropped on the way to Marten (whose own column takes a CLR aggregate type only).
    [Fact]
    public async Task Every_event_names_its_stream_type()
    {
        var id = await AppendNewStreamAsync();

        (await OwnerScalarAsync<string>("SELECT headers->>'stream-type' FROM mt_events WHERE stream_id = $1", id)).ShouldBe("sample");
    }

    [Fact]
    public async Task Every_event_carries_actor_correlation_causation_and_the_ledger_headers()
    {
        var id = Guid.NewGuid();
        var correlation = Guid.NewGuid();
        var causation = Guid.NewGuid();
        var metadata = new EventMetadata("王会计", "approver", correlation, causation, "cmd-7f3a", "依据锡政办发〔2022〕12号", "ops");

        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id), new SampleNoted(id, "n")), metadata, "fp");

        await using (var command = Db.Owner.CreateCommand(
            "SELECT user_name, correlation_id, causation_id, headers::text FROM mt_events WHERE stream_id = $1 ORDER BY version"))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                reader.GetString(0).ShouldBe("王会计");
                reader.GetString(1).ShouldBe(correlation.ToString());
                reader.GetString(2).ShouldBe(causation.ToString());
                var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3))!;
                headers.ShouldContainKeyAndValue(LedgerHeaders.Role, "approver");
                headers.ShouldContainKeyAndValue(LedgerHeaders.County, "320205");
                headers.ShouldContainKeyAndValue(LedgerHeaders.IdempotencyKey, "cmd-7f3a");
                headers.ShouldContainKeyAndValue(LedgerHeaders.Reason, "依据锡政办发〔2022〕12号");
                headers.ShouldContainKeyAndValue(LedgerHeaders.OsUser, "ops");
                reader.GetString(3).ShouldContain("锡政办发");
            }
            rows.ShouldBe(2);
        }
        var read = await Store.ReadStreamAsync(id);
        read.Select(e => e.Metadata).ShouldBe([metadata, metadata]);
        read.ShouldAllBe(e => e.CountyCode == "320205");
    }

    [Fact]
    public async Task Optional_metadata_left_out_is_stored_as_absent_not_as_empty_text()
    {
        var id = Guid.NewGuid();
        var metadata = new EventMetadata("clerk-1", "clerk", Guid.NewGuid());

        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), metadata);

        (await OwnerScalarAsync<bool>("SELECT causation_id IS NULL FROM mt_events WHERE stream_id = $1", id)).ShouldBeTrue();
        var headers = await OwnerScalarAsync<string>("SELECT headers::text FROM mt_events WHERE stream_id = $1", id);
        JsonSerializer.Deserialize<Dictionary<string, string>>(headers)!.Keys.Order(StringComparer.Ordinal).ShouldBe([LedgerHeaders.County, LedgerHeaders.Role, LedgerHeaders.StreamType]);
        (await Store.ReadStreamAsync(id)).Single().Metadata.ShouldBe(metadata);
    }

    [Fact]
    public async Task Each_command_of_a_batch_keeps_its_own_metadata()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var firstMetadata = new EventMetadata("clerk-1", "clerk", Guid.NewGuid(), Guid.NewGuid(), Reason: "第一");
        var secondMetadata = new EventMetadata("import-job", "import", Guid.NewGuid(), Reason: "第二");

        var results = await Store.AppendBatchAsync(
        [
            new CommandAppend([Samples.Append(first, ExpectedVersion.NoStream, Samples.Recorded(first))], firstMetadata),
            new CommandAppend([Samples.Append(second, ExpectedVersion.NoStream, Samples.Recorded(second), new SampleNoted(second, "x"))], secondMetadata),
        ]);

        results.Select(r => r.Streams.Single()).ShouldBe([new StreamPosition(first, 1, 1), new StreamPosition(second, 1, 2)]);
        (await Store.ReadStreamAsync(first)).Select(e => e.Metadata).ShouldBe([firstMetadata]);
        (await Store.ReadStreamAsync(second)).Select(e => e.Metadata).ShouldBe([secondMetadata, secondMetadata]);
    }

    [Fact]
    public async Task Marten_timestamp_and_chain_time_are_the_moment_of_the_append()
    {
        var before = SystemClock.Instance.GetCurrentInstant();
        var id = await AppendNewStreamAsync();
        var after = SystemClock.Instance.GetCurrentInstant();

        var stored = (await Store.ReadStreamAsync(id)).Single();

        var slack = Duration.FromSeconds(5);
        stored.Timestamp.ShouldBeInRange(before - slack, after + slack);
        stored.ChainedAt.ShouldBeInRange(before - slack, after + slack);
        stored.ChainedAt.ShouldBeGreaterThanOrEqualTo(stored.Timestamp);
    }

    [Fact]
    public async Task Marten_timestamp_is_the_moment_of_the_append_even_on_a_server_set_to_china_time()
    {
        // A server set up in China has timezone = 'Asia/Shanghai' (initdb copies the machine's zone), and Marten's
        // mt_quick_append_events stores (now() at time zone 'utc') into a timestamptz: only a UTC session stores the real instant.
        var database = new NpgsqlConnectionStringBuilder(Db.Owner.ConnectionString).Database!;
        await OwnerExecuteAsync($"ALTER DATABASE {database} SET timezone = 'Asia/Shanghai'");
        await using var reopened = await LedgerDatabase.OpenAsync(await Ledger.Testing.TestPostgres.ConnectionStringAsync(database));
        var store = Ledger.Testing.TestStores.Create(reopened, typeof(SampleRecorded).Assembly);
        using var marten = store.Marten;
        var id = Guid.NewGuid();

        // Marten starts a stream with its own INSERT, and appends to one through mt_quick_append_events.
        await store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id)), Samples.Metadata());
        await store.AppendAsync(Samples.Append(id, 1, new SampleNoted(id, "at a version")), Samples.Metadata());
        await store.AppendAsync(Samples.Append(id, ExpectedVersion.Any, new SampleNoted(id, "at any version")), Samples.Metadata());

        var stored = await store.ReadStreamAsync(id);
        stored.Count.ShouldBe(3);
        stored.ShouldAllBe(e => e.ChainedAt - e.Timestamp >= Duration.Zero && e.ChainedAt - e.Timestamp < Duration.FromSeconds(5));
        await using var plain = NpgsqlDataSource.Create(await Ledger.Testing.TestPostgres.ConnectionStringAsync(database));
        (await ScalarAsync<string>(plain, "SHOW TimeZone")).ShouldBe("Asia/Shanghai");
    }
}
