using System.Net;
using NodaTime;

namespace Ledger.Api.Tests;

/// <summary>
/// Group commit of the read log: entries recorded while a commit is under way go in together, in recording order, and
/// none is reported recorded before it committed; a group that fails to commit fails every read in it.
/// </summary>
public sealed class ReadLogWriterFacts(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Entries_recorded_while_a_commit_waits_commit_together_in_order_and_none_is_done_before_its_commit()
    {
        await using var writer = new ReadLogWriter(api.Database.App);
        var detail = $"group-{Guid.NewGuid():N}";
        Task[] recorded;
        // The owner holds the table, so the writer's first INSERT waits and the rest queue behind it.
        await using (var blocker = await api.Database.Owner.OpenConnectionAsync())
        {
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE api_read_log IN EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }
            recorded = [.. Enumerable.Range(0, 40).Select(i => writer.RecordAsync(new ReadLogRow(ApiFixture.Now, $"reader-{i:D2}", "auditor", "events", detail)))];
            await Task.Delay(300);
            recorded.ShouldAllBe(t => !t.IsCompleted, "a read was told its entry is recorded before the entry committed");
            await transaction.RollbackAsync();
        }
        await Task.WhenAll(recorded);

        (await api.CountAsync($"SELECT count(*) FROM api_read_log WHERE detail = '{detail}'")).ShouldBe(40);
        // The first entry's commit waited for the lock; the other 39 queued meanwhile and went in as one more.
        (await api.CountAsync($"SELECT count(DISTINCT xmin::text) FROM api_read_log WHERE detail = '{detail}'")).ShouldBeLessThanOrEqualTo(2);
        (await api.CountAsync($"SELECT count(*) FROM (SELECT user_name, row_number() OVER (ORDER BY entry_id) AS n FROM api_read_log WHERE detail = '{detail}') o " +
            "WHERE o.user_name <> 'reader-' || lpad((o.n - 1)::text, 2, '0')")).ShouldBe(0, "entry ids do not follow the order of recording");
    }

    [Fact]
    public async Task A_group_that_cannot_commit_fails_every_read_in_it_and_the_writer_goes_on()
    {
        await using var writer = new ReadLogWriter(api.Database.App);

        // PostgreSQL's text cannot hold U+0000: the INSERT fails, and the read with it.
        await Should.ThrowAsync<Npgsql.PostgresException>(() => writer.RecordAsync(new ReadLogRow(ApiFixture.Now, "nul\0reader", "auditor", "events", "x")));
        await writer.RecordAsync(new ReadLogRow(ApiFixture.Now, "after-nul", "auditor", "events", "y"));

        (await api.CountAsync("SELECT count(*) FROM api_read_log WHERE user_name = 'after-nul'")).ShouldBe(1);
    }

    [Fact]
    public async Task A_history_outside_the_callers_division_answers_as_one_that_does_not_exist_and_records_nothing()
    {
        var (haiyan, _) = await api.AwardAsync("330424");
        var xishan = await api.TokenAsync("scope-xishan-head", "bureau-head", "320205");
        var entries = await api.CountAsync("SELECT count(*) FROM api_read_log");
        var missing = "91320205MA9Y99999" + Enterprises.Uscc.CheckCharacter("91320205MA9Y99999");

        var outside = await api.GetAsync($"/api/enterprises/{haiyan}/history", xishan);
        var none = await api.GetAsync($"/api/enterprises/{missing}/history", xishan);

        outside.Status.ShouldBe(HttpStatusCode.NotFound);
        none.Status.ShouldBe(HttpStatusCode.NotFound);
        outside.Body.GetProperty("code").GetString().ShouldBe(none.Body.GetProperty("code").GetString());
        outside.Body.GetProperty("detail").GetString().ShouldBe(none.Body.GetProperty("detail").GetString()!.Replace(missing, haiyan, StringComparison.Ordinal));
        (await api.CountAsync("SELECT count(*) FROM api_read_log")).ShouldBe(entries);
        // The enterprise's own county reads it.
        var haiyanHead = await api.TokenAsync("scope-haiyan-head", "bureau-head", "330424");
        (await api.GetAsync($"/api/enterprises/{haiyan}/history", haiyanHead)).Status.ShouldBe(HttpStatusCode.OK);
        (await api.CountAsync("SELECT count(*) FROM api_read_log")).ShouldBe(entries + 1);
    }
}
