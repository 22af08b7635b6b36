using Npgsql;

namespace Ledger.EventStore.Tests;

/// <summary>
/// An auditor with read access and psql recomputes a link with PostgreSQL's own functions, no ledger code: the SQL below
/// is the one docs/hash-chain.md shows.
/// </summary>
public sealed class AuditorSqlFacts : TestLedger
{
    /// <summary>
    /// One event's link recomputed from canonical form 1 with PostgreSQL's built-in functions only:
    /// hash = sha256(prev_hash || sha256(canonical text)), and prev_hash = the hash one position back (32 zero bytes at 1).
    /// $1 is the event's seq_id (psql: <c>\set seq_id 1</c> and <c>:seq_id</c>).
    /// </summary>
    public const string RecomputeOneLink = """
        WITH e AS (
            SELECT * FROM mt_events WHERE seq_id = $1
        ), fields AS (
            -- canonical form 1: these columns in this order, each as <UTF-8 byte length>:<text>; and NULL as -;
            SELECT f.n, f.v
            FROM e, LATERAL (VALUES
                ( 1, e.seq_id::text),
                ( 2, e.id::text),
                ( 3, e.stream_id::text),
                ( 4, e.version::text),
                ( 5, e.type::text),
                ( 6, e.data::text),                                              -- jsonb as PostgreSQL prints it
                ( 7, encode(e.bdata, 'hex')),
                ( 8, e.headers::text),
                ( 9, e.correlation_id::text),
                (10, e.causation_id::text),
                (11, e.user_name::text),
                (12, e.mt_dotnet_type::text),
                (13, (extract(epoch FROM e.timestamp) * 1000000)::bigint::text), -- Unix microseconds
                (14, e.tenant_id::text)
            ) AS f(n, v)
        ), canonical AS (
            SELECT string_agg(CASE WHEN v IS NULL THEN '-;' ELSE octet_length(v)::text || ':' || v || ';' END, '' ORDER BY n) AS form1
            FROM fields
        )
        SELECT c.position,
               k.form1                                                                   AS canonical_text,
               encode(sha256(c.prev_hash || sha256(convert_to(k.form1, 'UTF8'))), 'hex') AS recomputed_hash,
               encode(c.hash, 'hex')                                                     AS stored_hash,
               c.prev_hash = coalesce((SELECT p.hash FROM event_chain p WHERE p.position = c.position - 1),
                                      decode(repeat('00', 32), 'hex'))                   AS prev_hash_matches
        FROM event_chain c CROSS JOIN canonical k
        WHERE c.seq_id = $1
        """;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var id = await AppendNewStreamAsync(37100000.00m);
        var metadata = new EventMetadata("王会计", "approver", Guid.NewGuid(), Guid.NewGuid(), "cmd-审计", "依据锡政办发〔2022〕12号", "ops");
        await Store.AppendAsync(Samples.Append(id, 1, new SampleNoted(id, "“专精特新”\n第二行 \\ \"引号\" 𠀀 (four UTF-8 bytes) é"), Samples.Recorded(id, 0.01m)), metadata, "fp");
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(3L)]
    public async Task An_auditor_recomputes_a_stored_link_with_sql_alone(long seq)
    {
        var link = await RecomputeAsync(Db.App, seq);

        link.Position.ShouldBe(seq);
        link.Recomputed.ShouldBe(link.Stored);
        link.PrevHashMatches.ShouldBeTrue();
        link.Form1.ShouldStartWith($"1:{seq};36:");
        // The same bytes the migration's event_canonical() and the C# verifier hash.
        link.Form1.ShouldBe(await OwnerScalarAsync<string>("SELECT event_canonical(e) FROM mt_events e WHERE seq_id = $1", seq));
    }

    [Fact]
    public async Task The_canonical_form_counts_utf8_bytes_and_writes_absent_columns_as_a_dash()
    {
        var form = (await RecomputeAsync(Db.App, 1)).Form1;

        // bdata and causation_id are NULL for the first event (no causation, JSON body).
        form.ShouldContain(";-;");
        (await RecomputeAsync(Db.App, 2)).Form1.ShouldContain("\"reason\": \"依据锡政办发〔2022〕12号\"");
        var headers = await OwnerScalarAsync<string>("SELECT headers::text FROM mt_events WHERE seq_id = 2");
        (await RecomputeAsync(Db.App, 2)).Form1.ShouldContain($"{System.Text.Encoding.UTF8.GetByteCount(headers)}:{headers};");
    }

    [Fact]
    public async Task The_auditor_sql_no_longer_matches_an_event_edited_behind_the_triggers()
    {
        await OwnerExecuteAsync(
            "ALTER TABLE mt_events DISABLE TRIGGER mt_events_append_only",
            "UPDATE mt_events SET data = jsonb_set(data, '{amount}', '0.02') WHERE seq_id = 3",
            "ALTER TABLE mt_events ENABLE TRIGGER mt_events_append_only");

        var link = await RecomputeAsync(Db.App, 3);

        link.Recomputed.ShouldNotBe(link.Stored);
        (await RecomputeAsync(Db.App, 2)).Recomputed.ShouldBe((await RecomputeAsync(Db.App, 2)).Stored);
    }

    [Fact]
    public async Task The_auditor_sql_shows_the_next_link_no_longer_following_an_event_rehashed_behind_the_triggers()
    {
        await OwnerExecuteAsync(
            "ALTER TABLE mt_events DISABLE TRIGGER mt_events_append_only",
            "ALTER TABLE event_chain DISABLE TRIGGER event_chain_append_only",
            "UPDATE mt_events SET data = jsonb_set(data, '{note}', '\"改过\"') WHERE seq_id = 2",
            "UPDATE event_chain c SET hash = sha256(c.prev_hash || event_leaf(e)) FROM mt_events e WHERE e.seq_id = c.seq_id AND c.seq_id = 2",
            "ALTER TABLE event_chain ENABLE TRIGGER event_chain_append_only",
            "ALTER TABLE mt_events ENABLE TRIGGER mt_events_append_only");

        var rehashed = await RecomputeAsync(Db.App, 2);
        var next = await RecomputeAsync(Db.App, 3);

        (rehashed.Recomputed == rehashed.Stored && rehashed.PrevHashMatches).ShouldBeTrue();
        next.Recomputed.ShouldBe(next.Stored);
        next.PrevHashMatches.ShouldBeFalse();
    }

    [Fact]
    public async Task Every_link_of_a_commit_over_many_streams_is_the_hash_event_canonical_gives()
    {
        // The linking statement renders canonical form 1 itself (migrations/0009_chain_linking.sql); this pins it
        // to event_canonical for a commit of many events over many streams, in seq_id order from the head.
        var appends = Enumerable.Range(0, 20)
            .Select(i => Samples.Append(Guid.NewGuid(), 0, Samples.Recorded(Guid.NewGuid(), 100.05m + i, $"第{i}笔 \"x\""), new SampleNoted(Guid.NewGuid(), new string('注', i))))
            .ToList();
        await Store.AppendAsync(appends, Samples.Metadata());

        var mismatched = await OwnerScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT c.position, c.hash, c.prev_hash, e.seq_id, public.event_leaf(e) AS leaf,
                       lag(c.hash) OVER (ORDER BY c.position) AS previous
                FROM event_chain c JOIN mt_events e USING (seq_id)) l
            WHERE l.hash <> sha256(l.prev_hash || l.leaf) OR l.prev_hash <> coalesce(l.previous, decode(repeat('00', 32), 'hex'))
            """);
        var links = await OwnerScalarAsync<long>("SELECT count(*) FROM event_chain");

        links.ShouldBe(43L);
        mismatched.ShouldBe(0L);
    }

    [Fact]
    public async Task Every_link_of_one_event_commits_is_the_hash_event_canonical_gives_whichever_way_it_was_linked()
    {
        // A one-event commit whose event is the last the sequence drew is linked by a one-row INSERT
        // (migrations/0012_chain_single_link.sql); one with a later event drawn by another writer by the set statement.
        for (var i = 0; i < 5; i++)
        {
            await Store.AppendAsync(Samples.Append(Guid.NewGuid(), 0, Samples.Recorded(Guid.NewGuid(), 0.01m * (i + 1), $"单笔{i} \"引号\"")), Samples.Metadata(i % 2 == 0 ? null : $"key-{i}"), "fingerprint");
        }
        await using var first = await Db.App.OpenConnectionAsync();
        await using var earlier = await first.BeginTransactionAsync();
        await using var second = await Db.App.OpenConnectionAsync();
        await using var later = await second.BeginTransactionAsync();
        foreach (var (connection, transaction, note) in new[] { (first, earlier, "先取号"), (second, later, "后取号") })
        {
            foreach (var sql in InsertEventSql(Guid.NewGuid(), note))
            {
                await using var insert = new NpgsqlCommand(sql, connection, transaction);
                await insert.ExecuteNonQueryAsync();
            }
        }
        await earlier.CommitAsync();
        await later.CommitAsync();

        var mismatched = await OwnerScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT c.position, c.hash, c.prev_hash, public.event_leaf(e) AS leaf,
                       lag(c.hash) OVER (ORDER BY c.position) AS previous
                FROM event_chain c JOIN mt_events e USING (seq_id)) l
            WHERE l.hash <> sha256(l.prev_hash || l.leaf) OR l.prev_hash <> coalesce(l.previous, decode(repeat('00', 32), 'hex'))
            """);
        var order = await OwnerScalarAsync<string>(
            "SELECT string_agg(e.data ->> 'note', ',' ORDER BY c.position) FROM event_chain c JOIN mt_events e USING (seq_id) WHERE e.type = 'sample-noted'");

        (await CountsAsync()).ShouldBe((3L + 5L + 2L, 3L + 5L + 2L));
        mismatched.ShouldBe(0L);
        order.ShouldEndWith("先取号,后取号");
        (await Store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    private static async Task<(long Position, string Form1, string Recomputed, string Stored, bool PrevHashMatches)> RecomputeAsync(NpgsqlDataSource dataSource, long seq)
    {
        await using var command = dataSource.CreateCommand(RecomputeOneLink);
        command.Parameters.Add(new NpgsqlParameter { Value = seq });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue($"no link for seq_id {seq}");
        return (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4));
    }
}
