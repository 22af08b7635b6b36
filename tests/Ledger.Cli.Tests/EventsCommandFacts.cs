using System.Text.Json;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Testing;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Cli.Tests;

/// <summary>
/// <c>ledger events</c>, the audit listing: two enterprises, the first registered and then corrected, the second
/// registered after an instant captured from the database's clock.
/// </summary>
public sealed class EventsCommandFacts : CliDatabase
{
    private static readonly Instant At = Instant.FromUtc(2024, 3, 1, 2, 0);
    private readonly Guid _first = Guid.NewGuid();
    private readonly Guid _second = Guid.NewGuid();
    private Instant _between;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var store = TestStores.Create(Database, typeof(EnterpriseRegistered).Assembly);
        await store.AppendAsync(new StreamAppend(_first, "enterprise", ExpectedVersion.NoStream, "320205",
            [new EnterpriseRegistered(_first, "91320205MA1Y000010", "甲精密机械有限公司", "320205", "制造业", null, "clerk-li", At)]),
            new EventMetadata("clerk-li", "clerk", Guid.NewGuid(), IdempotencyKey: "key-1"), "fingerprint-1");
        await store.AppendAsync(new StreamAppend(_first, "enterprise", 1, "320205",
            [new EnterpriseDetailsCorrected(_first, [new FieldCorrection(EnterpriseField.Name, "甲精密机械有限公司", "甲精工有限公司")], "registry spelling", "clerk-li", At)]),
            new EventMetadata("clerk-li", "clerk", Guid.NewGuid()));
        await Task.Delay(20);
        await using (var clock = Database.Owner.CreateCommand("SELECT clock_timestamp()"))
        {
            _between = Instant.FromDateTimeUtc((DateTime)(await clock.ExecuteScalarAsync())!);
        }
        await Task.Delay(20);
        await store.AppendAsync(new StreamAppend(_second, "enterprise", ExpectedVersion.NoStream, "320206",
            [new EnterpriseRegistered(_second, "91320206MA1Y000020", "乙科技有限公司", "320206", "信息技术", null, "clerk-zhao", At)]),
            new EventMetadata("approver-wang", "admin", Guid.NewGuid(), IdempotencyKey: "key-2"), "fingerprint-2");
    }

    private async Task<JsonElement> ListAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(["events", .. args, "--format", "json"]);
        code.ShouldBe(ExitCodes.Ok, error);
        // One document on stdout and nothing else.
        using var json = JsonDocument.Parse(output);
        return json.RootElement.Clone();
    }

    private static long[] Positions(JsonElement listing) => [.. listing.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("position").GetInt64())];

    [Fact]
    public async Task Events_in_json_is_one_document_with_the_filter_and_every_event_in_chain_order()
    {
        var listing = await ListAsync();

        var filter = listing.GetProperty("filter");
        (filter.GetProperty("stream").ValueKind, filter.GetProperty("types").GetArrayLength(), filter.GetProperty("from").GetInt64(), filter.GetProperty("limit").GetInt32())
            .ShouldBe((JsonValueKind.Null, 0, 1L, 1000));
        (filter.GetProperty("since").ValueKind, filter.GetProperty("until").ValueKind).ShouldBe((JsonValueKind.Null, JsonValueKind.Null));
        listing.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
        Positions(listing).ShouldBe([1, 2, 3]);

        var first = listing.GetProperty("events")[0];
        await using var link = Database.Owner.CreateCommand("SELECT c.seq_id, encode(c.hash, 'hex'), c.chained_at FROM event_chain c WHERE c.position = 1");
        await using var reader = await link.ExecuteReaderAsync();
        await reader.ReadAsync();
        first.GetProperty("seq").GetInt64().ShouldBe(reader.GetInt64(0));
        first.GetProperty("hash").GetString().ShouldBe(reader.GetString(1));
        InstantPattern.ExtendedIso.Parse(first.GetProperty("chainedAt").GetString()!).Value.ShouldBe(Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(2)));
        first.GetProperty("streamId").GetGuid().ShouldBe(_first);
        first.GetProperty("streamVersion").GetInt64().ShouldBe(1);
        first.GetProperty("type").GetString().ShouldBe("enterprise-registered");
        (first.GetProperty("actor").GetString(), first.GetProperty("role").GetString(), first.GetProperty("idempotencyKey").GetString()).ShouldBe(("clerk-li", "clerk", "key-1"));
        first.GetProperty("data").GetProperty("name").GetString().ShouldBe("甲精密机械有限公司");
        first.GetProperty("data").GetProperty("enterpriseId").GetGuid().ShouldBe(_first);

        var corrected = listing.GetProperty("events")[1];
        (corrected.GetProperty("type").GetString(), corrected.GetProperty("streamVersion").GetInt64()).ShouldBe(("enterprise-details-corrected", 2L));
        corrected.GetProperty("idempotencyKey").ValueKind.ShouldBe(JsonValueKind.Null);
        var third = listing.GetProperty("events")[2];
        (third.GetProperty("actor").GetString(), third.GetProperty("role").GetString()).ShouldBe(("approver-wang", "admin"));
    }

    [Fact]
    public async Task Events_filters_by_stream_type_position_and_limit()
    {
        Positions(await ListAsync("--stream", _second.ToString())).ShouldBe([3]);
        Positions(await ListAsync("--stream", _first.ToString(), "--from", "2")).ShouldBe([2]);
        Positions(await ListAsync("--type", "enterprise-details-corrected")).ShouldBe([2]);
        Positions(await ListAsync("--type", "enterprise-registered")).ShouldBe([1, 3]);
        var both = await ListAsync("--type", "enterprise-registered", "--type", "enterprise-details-corrected");
        Positions(both).ShouldBe([1, 2, 3]);
        both.GetProperty("filter").GetProperty("types").EnumerateArray().Select(t => t.GetString()).ShouldBe(["enterprise-registered", "enterprise-details-corrected"]);
        Positions(await ListAsync("--from", "2")).ShouldBe([2, 3]);
        Positions(await ListAsync("--from", "4")).ShouldBeEmpty();

        var page = await ListAsync("--limit", "2");
        Positions(page).ShouldBe([1, 2]);
        page.GetProperty("next").GetInt64().ShouldBe(3);
        var cut = await ListAsync("--type", "enterprise-registered", "--limit", "1");
        cut.GetProperty("next").GetInt64().ShouldBe(3, "the next matching event, where --from goes on");
    }

    [Fact]
    public async Task Events_since_and_until_split_the_log_at_an_instant_both_inclusive()
    {
        var china = OffsetDateTimePattern.ExtendedIso.Format(_between.WithOffset(Offset.FromHours(8)));
        var utc = InstantPattern.ExtendedIso.Format(_between);

        Positions(await ListAsync("--until", china)).ShouldBe([1, 2]);
        Positions(await ListAsync("--since", china)).ShouldBe([3]);
        Positions(await ListAsync("--since", utc, "--until", utc)).ShouldBeEmpty();
        var filter = (await ListAsync("--until", china)).GetProperty("filter");
        filter.GetProperty("until").GetString().ShouldBe(utc, "the filter echoes the instant in UTC");

        // Inclusive at both ends: the instants the events were chained at select them.
        var all = (await ListAsync()).GetProperty("events");
        var second = all[1].GetProperty("chainedAt").GetString()!;
        var third = all[2].GetProperty("chainedAt").GetString()!;
        Positions(await ListAsync("--until", second)).ShouldBe([1, 2]);
        Positions(await ListAsync("--since", third)).ShouldBe([3]);
        Positions(await ListAsync("--since", second, "--until", third)).ShouldBe([2, 3]);
    }

    [Fact]
    public async Task Events_in_csv_starts_with_a_byte_order_mark_and_in_a_table_shows_type_actor_and_hash()
    {
        var (csvCode, csv, _) = await RunAsync("events", "--stream", _first.ToString(), "--format", "csv");
        csvCode.ShouldBe(ExitCodes.Ok);
        csv[0].ShouldBe('\uFEFF');
        var lines = csv[1..].TrimEnd().Split(Environment.NewLine);
        lines[0].ShouldBe("position,seq,chained_at,stream,version,type,actor,role,idempotency_key,data,hash");
        lines.Length.ShouldBe(3);
        lines[1].ShouldStartWith("1,");
        lines[1].ShouldContain($",{_first},1,enterprise-registered,clerk-li,clerk,key-1,\"{{");
        lines[1].ShouldContain("\"\"name\"\": \"\"甲精密机械有限公司\"\"");

        var (code, table, _) = await RunAsync("events");
        code.ShouldBe(ExitCodes.Ok);
        table.ShouldContain("enterprise-details-corrected");
        table.ShouldContain("approver-wang");
        table.ShouldContain("3 event(s)");
    }

    [Theory]
    [InlineData("--stream", "not-a-uuid")]
    [InlineData("--from", "-1")]
    [InlineData("--from", "0")]
    [InlineData("--since", "yesterday")]
    [InlineData("--until", "2024-03-01T10:00:00")]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "100001")]
    [InlineData("--type", "enterprise-registred")]
    public async Task Bad_input_exits_2_naming_the_option(string option, string value)
    {
        var (code, output, error) = await RunAsync("events", option, value);

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain(option);
        output.ShouldBeEmpty();
    }

    [Fact]
    public async Task Since_after_until_exits_2()
    {
        var (code, _, error) = await RunAsync("events", "--since", "2024-03-02T00:00:00Z", "--until", "2024-03-01T00:00:00+08:00");

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain("--since 2024-03-02T00:00:00Z is after --until 2024-02-29T16:00:00Z");
    }
}
