using System.Net;
using System.Text.Json;

namespace Ledger.Api.Tests;

/// <summary>Request → approval by a second person → payment over HTTP; maker-checker, idempotency, If-Match and county scope.</summary>
public sealed class WorkflowFacts(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object Request(Guid award, string amount = "100000.00") => new { awardId = award, amount, level = "county", plannedYear = 2026 };

    [Fact]
    public async Task A_clerk_requests_a_second_person_approves_the_clerk_pays_and_the_totals_and_history_show_it()
    {
        var (uscc, award) = await api.AwardAsync();
        var clerk = await api.TokenAsync("li-clerk", "clerk");
        var approver = await api.TokenAsync("zhao-approver", "approver");
        var head = await api.TokenAsync("chen-head", "bureau-head");

        var requested = await api.PostAsync("/api/disbursements", clerk, Request(award));
        requested.Status.ShouldBe(HttpStatusCode.Created, requested.Body.ToString());
        var id = requested.Body.GetProperty("id").GetGuid();
        var queue = await api.GetAsync("/api/approvals", approver);
        queue.Body.EnumerateArray().Select(d => d.GetProperty("disbursementId").GetGuid()).ShouldContain(id);
        var approved = await api.PostAsync($"/api/disbursements/{id}/approve", approver);
        approved.Status.ShouldBe(HttpStatusCode.OK, approved.Body.ToString());
        approved.Body.GetProperty("status").GetString().ShouldBe("approved");
        var paid = await api.PostAsync($"/api/disbursements/{id}/pay", clerk, new { voucherNo = $"XS-{id:N}"[..20], valueDate = "2026-11-30" });
        paid.Status.ShouldBe(HttpStatusCode.OK, paid.Body.ToString());

        var totals = await api.GetAsync("/api/reports/totals?year=2026&jurisdiction=320205&basis=paid", head);
        totals.Status.ShouldBe(HttpStatusCode.OK, totals.Body.ToString());
        decimal.Parse(totals.Body.GetProperty("totalYuan").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(100000m);
        totals.Body.GetProperty("totalYuan").GetString()!.ShouldMatch(@"^\d+\.\d{2}$");
        var history = await api.GetAsync($"/api/enterprises/{uscc}/history", head);
        history.Status.ShouldBe(HttpStatusCode.OK);
        history.Body.ToString().ShouldContain("zhao-approver");
        // The actor of every event is the token's user, with its role.
        (await api.CountAsync($"SELECT count(*) FROM mt_events WHERE stream_id = '{award}' AND type = 'disbursement-approved' AND user_name = 'zhao-approver' AND headers->>'role' = 'approver'"))
            .ShouldBe(1);
        (await api.CountAsync("SELECT count(*) FROM api_read_log WHERE user_name = 'chen-head' AND resource = 'enterprise-history'")).ShouldBe(1);
    }

    [Fact]
    public async Task The_requester_cannot_approve_even_when_the_body_claims_another_approver()
    {
        var (_, award) = await api.AwardAsync();
        var asClerk = await api.TokenAsync("wang", "clerk");
        var asApprover = await api.TokenAsync("wang", "approver");
        var id = (await api.PostAsync("/api/disbursements", asClerk, Request(award))).Body.GetProperty("id").GetGuid();

        var refused = await api.PostAsync($"/api/disbursements/{id}/approve", asApprover, new { approver = "someone-else" });

        refused.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        refused.Response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        refused.Body.GetProperty("code").GetString().ShouldBe("disbursement.approver-is-requester");
        refused.Body.GetProperty("field").GetString().ShouldBe("approver");
    }

    [Fact]
    public async Task The_same_key_and_body_answer_the_first_answer_and_another_body_under_the_key_is_422()
    {
        var (_, award) = await api.AwardAsync();
        var clerk = await api.TokenAsync("sun-clerk", "clerk");
        var key = Guid.NewGuid().ToString();

        var first = await api.PostAsync("/api/disbursements", clerk, Request(award), key);
        var again = await api.PostAsync("/api/disbursements", clerk, Request(award), key);
        var other = await api.PostAsync("/api/disbursements", clerk, Request(award, "5000.00"), key);

        first.Status.ShouldBe(HttpStatusCode.Created);
        again.Status.ShouldBe(HttpStatusCode.Created);
        again.Body.ToString().ShouldBe(first.Body.ToString());
        other.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        other.Body.GetProperty("code").GetString().ShouldBe("idempotency.key-reused");
        (await api.CountAsync($"SELECT count(*) FROM mt_events WHERE stream_id = '{award}' AND type = 'disbursement-requested'")).ShouldBe(1);
        (await api.PostAsync("/api/disbursements", clerk, Request(award), key: "")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_if_match_that_is_not_the_award_s_version_is_412()
    {
        var (_, award) = await api.AwardAsync();
        var clerk = await api.TokenAsync("zhou-clerk", "clerk");
        var approver = await api.TokenAsync("zhou-approver", "approver");
        var requested = await api.PostAsync("/api/disbursements", clerk, Request(award));
        var id = requested.Body.GetProperty("id").GetGuid();
        var etag = requested.Response.Headers.ETag!.Tag;

        var stale = await api.SendAsync(HttpMethod.Post, $"/api/disbursements/{id}/approve", approver, ifMatch: "\"1\"");
        var current = await api.SendAsync(HttpMethod.Post, $"/api/disbursements/{id}/approve", approver, ifMatch: etag);

        stale.Status.ShouldBe(HttpStatusCode.PreconditionFailed);
        stale.Body.GetProperty("code").GetString().ShouldBe("precondition.version");
        current.Status.ShouldBe(HttpStatusCode.OK, current.Body.ToString());
    }

    [Fact]
    public async Task A_xishan_clerk_can_neither_see_nor_act_on_a_haiyan_enterprise()
    {
        var (haiyan, award) = await api.AwardAsync("330424");
        var xishan = await api.TokenAsync("xishan-clerk", "clerk", "320205");
        var haiyanClerk = await api.TokenAsync("haiyan-clerk", "clerk", "330424");
        var xishanHead = await api.TokenAsync("xishan-head", "bureau-head", "320205");

        (await api.GetAsync($"/api/enterprises/{haiyan}/history", xishan)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.PostAsync("/api/disbursements", xishan, Request(award))).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync("/api/reports/totals?year=2026&jurisdiction=330424", xishanHead)).Status.ShouldBe(HttpStatusCode.NotFound);
        var id = (await api.PostAsync("/api/disbursements", haiyanClerk, Request(award))).Body.GetProperty("id").GetGuid();
        (await api.PostAsync($"/api/disbursements/{id}/cancel", xishan, new { reason = "not ours" })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.CountAsync($"SELECT count(*) FROM mt_events WHERE stream_id = '{award}' AND type = 'disbursement-cancelled'")).ShouldBe(0);
    }

    [Fact]
    public async Task Fifty_concurrent_approvals_of_one_disbursement_have_one_effect()
    {
        var (_, award) = await api.AwardAsync();
        var clerk = await api.TokenAsync("race-clerk", "clerk");
        var approver = await api.TokenAsync("race-approver", "approver");
        var id = (await api.PostAsync("/api/disbursements", clerk, Request(award))).Body.GetProperty("id").GetGuid();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => api.PostAsync($"/api/disbursements/{id}/approve", approver)));

        answers.Count(a => a.Status == HttpStatusCode.OK).ShouldBe(1);
        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK || a.Status == HttpStatusCode.Conflict || a.Status == HttpStatusCode.UnprocessableEntity);
        // The race happened: some lost on the stream's version, not only on a later read.
        answers.Count(a => a.Status != HttpStatusCode.OK).ShouldBe(49);
        (await api.CountAsync($"SELECT count(*) FROM mt_events WHERE stream_id = '{award}' AND type = 'disbursement-approved'")).ShouldBe(1);
        (await api.CountAsync($"SELECT count(*) FROM mt_events WHERE type = 'budget-reserved' AND data->>'disbursementId' = '{id}'")).ShouldBe(1);
    }

    [Fact]
    public async Task Fifty_concurrent_payments_with_different_vouchers_pay_once()
    {
        var (_, award) = await api.AwardAsync();
        var clerk = await api.TokenAsync("pay-clerk", "clerk");
        var approver = await api.TokenAsync("pay-approver", "approver");
        var id = (await api.PostAsync("/api/disbursements", clerk, Request(award))).Body.GetProperty("id").GetGuid();
        (await api.PostAsync($"/api/disbursements/{id}/approve", approver)).Status.ShouldBe(HttpStatusCode.OK);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            api.PostAsync($"/api/disbursements/{id}/pay", clerk, new { voucherNo = $"PAY-{award.ToString("N")[..8]}-{i:D2}", valueDate = "2026-11-30" })));

        answers.Count(a => a.Status == HttpStatusCode.OK).ShouldBe(1);
        answers.Where(a => a.Status != HttpStatusCode.OK).ShouldAllBe(a => a.Status == HttpStatusCode.Conflict || a.Status == HttpStatusCode.UnprocessableEntity);
        (await api.CountAsync($"SELECT count(*) FROM mt_events WHERE stream_id = '{award}' AND type = 'disbursement-paid'")).ShouldBe(1);
    }
}
