using System.Net;
using System.Text.Json;
using Npgsql;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Api.Tests;

/// <summary>
/// The read log: every enterprise-history and event-page read is recorded (who, in which role, what, when), auditors and
/// admins list it, reading never moves the chain, and no one — the owner included — can change or remove an entry.
/// </summary>
public sealed class ReadLogFacts(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task History_and_event_page_reads_are_recorded_with_who_what_and_when_and_auditors_and_admins_list_them()
    {
        var (uscc, _) = await api.AwardAsync();
        var head = await api.TokenAsync("log-head", "bureau-head");
        var auditor = await api.TokenAsync("log-auditor", "auditor");
        var admin = await api.TokenAsync("log-admin", "admin");
        api.Clock.AdvanceMinutes(7);
        var historyAt = api.Clock.GetCurrentInstant();
        var from = await NextEntryAsync();

        (await api.GetAsync($"/api/enterprises/{uscc}/history?asOf=2099-01-01T00:00:00Z", head)).Status.ShouldBe(HttpStatusCode.OK);
        api.Clock.AdvanceMinutes(1);
        (await api.GetAsync("/api/events?from=2&limit=3", auditor)).Status.ShouldBe(HttpStatusCode.OK);

        foreach (var token in new[] { auditor, admin })
        {
            var (status, log, _) = await api.GetAsync($"/api/read-log?from={from}", token);
            status.ShouldBe(HttpStatusCode.OK);
            var entries = log.EnumerateArray().Select(Entry).ToList();
            entries.ShouldBe(
            [
                ("log-head", "bureau-head", "enterprise-history", $"{uscc} as of 2099-01-01T00:00:00Z", InstantPattern.ExtendedIso.Format(historyAt)),
                ("log-auditor", "auditor", "events", "from 2, limit 3: 3 event(s)", InstantPattern.ExtendedIso.Format(historyAt + Duration.FromMinutes(1))),
            ]);
        }
    }

    [Fact]
    public async Task A_read_that_finds_nothing_in_scope_records_nothing_and_listing_the_log_is_not_itself_a_read_of_history()
    {
        var (haiyan, _) = await api.AwardAsync("330424");
        var xishan = await api.TokenAsync("log-xishan-head", "bureau-head", "320205");
        var auditor = await api.TokenAsync("log-lister", "auditor");
        var entries = await api.CountAsync("SELECT count(*) FROM api_read_log");

        (await api.GetAsync($"/api/enterprises/{haiyan}/history", xishan)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync("/api/read-log", auditor)).Status.ShouldBe(HttpStatusCode.OK);

        (await api.CountAsync("SELECT count(*) FROM api_read_log")).ShouldBe(entries);
    }

    [Fact]
    public async Task The_read_log_pages_by_entry_and_refuses_a_limit_outside_1_to_1000()
    {
        var (uscc, _) = await api.AwardAsync();
        var clerk = await api.TokenAsync("log-pager", "clerk");
        var auditor = await api.TokenAsync("log-page-auditor", "auditor");
        var from = await NextEntryAsync();
        for (var i = 0; i < 3; i++)
        {
            (await api.GetAsync($"/api/enterprises/{uscc}/history", clerk)).Status.ShouldBe(HttpStatusCode.OK);
        }

        var page = (await api.GetAsync($"/api/read-log?from={from}&limit=2", auditor)).Body.EnumerateArray().ToList();
        var next = (await api.GetAsync($"/api/read-log?from={page[^1].GetProperty("id").GetInt64() + 1}&limit=2", auditor)).Body.EnumerateArray().ToList();

        page.Count.ShouldBe(2);
        next.Count.ShouldBe(1);
        page.Concat(next).Select(e => e.GetProperty("user").GetString()).ShouldAllBe(u => u == "log-pager");
        page.Concat(next).Select(e => e.GetProperty("id").GetInt64()).ShouldBeInOrder(SortDirection.Ascending);
        foreach (var bad in new[] { "limit=0", "limit=1001", "from=0" })
        {
            var (status, problem, _) = await api.GetAsync($"/api/read-log?{bad}", auditor);
            status.ShouldBe(HttpStatusCode.BadRequest, bad);
            problem.GetProperty("field").GetString().ShouldBe(bad.Split('=')[0]);
        }
    }

    [Fact]
    public async Task Reading_history_and_events_never_moves_the_chain()
    {
        var (uscc, _) = await api.AwardAsync();
        var auditor = await api.TokenAsync("log-chain-auditor", "auditor");
        var before = (await api.GetAsync("/api/verify", auditor)).Body;

        (await api.GetAsync($"/api/enterprises/{uscc}/history", auditor)).Status.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/api/events", auditor)).Status.ShouldBe(HttpStatusCode.OK);
        var after = (await api.GetAsync("/api/verify", auditor)).Body;

        after.GetProperty("ok").GetBoolean().ShouldBeTrue();
        after.GetProperty("headPosition").GetInt64().ShouldBe(before.GetProperty("headPosition").GetInt64());
        after.GetProperty("headHash").GetString().ShouldBe(before.GetProperty("headHash").GetString());
    }

    [Theory]
    [InlineData("UPDATE api_read_log SET detail = 'nothing was read'")]
    [InlineData("DELETE FROM api_read_log")]
    [InlineData("TRUNCATE api_read_log")]
    public async Task The_owner_cannot_change_or_remove_an_entry(string sql)
    {
        await EnsureAnEntryAsync();
        var entries = await api.CountAsync("SELECT count(*) FROM api_read_log");
        var details = await api.CountAsync("SELECT count(*) FROM api_read_log WHERE detail = 'nothing was read'");

        await using var command = api.Database.Owner.CreateCommand(sql);
        var refused = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        refused.SqlState.ShouldBe("LE010");
        (await api.CountAsync("SELECT count(*) FROM api_read_log")).ShouldBe(entries);
        (await api.CountAsync("SELECT count(*) FROM api_read_log WHERE detail = 'nothing was read'")).ShouldBe(details);
    }

    [Theory]
    [InlineData("UPDATE api_read_log SET detail = 'nothing was read'")]
    [InlineData("DELETE FROM api_read_log")]
    public async Task The_application_role_has_no_right_to_change_or_remove_an_entry_either(string sql)
    {
        await EnsureAnEntryAsync();

        await using var command = api.Database.App.CreateCommand(sql);
        var refused = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    /// <summary>A row-level trigger fires only on rows: make sure there is one.</summary>
    private async Task EnsureAnEntryAsync()
    {
        if (await api.CountAsync("SELECT count(*) FROM api_read_log") == 0)
        {
            var (uscc, _) = await api.AwardAsync();
            (await api.GetAsync($"/api/enterprises/{uscc}/history", await api.TokenAsync($"log-seed-{Guid.NewGuid():N}", "auditor"))).Status.ShouldBe(HttpStatusCode.OK);
        }
        (await api.CountAsync("SELECT count(*) FROM api_read_log")).ShouldBeGreaterThan(0);
    }

    private async Task<long> NextEntryAsync() => await api.CountAsync("SELECT coalesce(max(entry_id), 0) + 1 FROM api_read_log");

    private static (string User, string Role, string Resource, string Detail, string ReadAt) Entry(JsonElement e) =>
        (e.GetProperty("user").GetString()!, e.GetProperty("role").GetString()!, e.GetProperty("resource").GetString()!,
            e.GetProperty("detail").GetString()!, e.GetProperty("readAt").GetString()!);
}
