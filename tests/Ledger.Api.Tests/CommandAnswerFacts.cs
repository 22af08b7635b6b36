using System.Net;
using System.Text.Json;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.EventStore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ledger.Api.Tests;

/// <summary>
/// The six disbursement routes store their answer in <c>api_requests</c> in the command's own transaction: the answer
/// row and the events carry one transaction id, the stored answer is what the read tables say after the commit, and a
/// commit that fails stores no answer.
/// </summary>
public sealed class CommandAnswerFacts(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object Request(Guid award) => new { awardId = award, amount = "1000.00", level = "county", plannedYear = 2026 };

    [Fact]
    public async Task Each_disbursement_route_stores_its_answer_in_the_transaction_that_appends_its_events()
    {
        var (_, award) = await api.AwardAsync();
        var clerk = await api.TokenAsync("answers-clerk", "clerk");
        var approver = await api.TokenAsync("answers-approver", "approver");

        var (_, id) = await SendAsync("/api/disbursements", clerk, Request(award), HttpStatusCode.Created, "requested");
        await SendAsync($"/api/disbursements/{id}/approve", approver, null, HttpStatusCode.OK, "approved");
        await SendAsync($"/api/disbursements/{id}/pay", clerk, new { voucherNo = $"ANS-{id:N}"[..20], valueDate = "2026-11-30" }, HttpStatusCode.OK, "paid");
        await SendAsync($"/api/disbursements/{id}/return", clerk, new { returnedOn = "2026-12-01", reason = "账户已销户" }, HttpStatusCode.OK, "returned");
        var (_, rejected) = await SendAsync("/api/disbursements", clerk, Request(award), HttpStatusCode.Created, "requested");
        await SendAsync($"/api/disbursements/{rejected}/reject", approver, new { reason = "材料不全" }, HttpStatusCode.OK, "rejected");
        var (_, cancelled) = await SendAsync("/api/disbursements", clerk, Request(award), HttpStatusCode.Created, "requested");
        await SendAsync($"/api/disbursements/{cancelled}/cancel", clerk, new { reason = "重复申请" }, HttpStatusCode.OK, "cancelled");
    }

    [Fact]
    public async Task A_request_a_process_left_unanswered_answers_409_until_its_claim_lapses_then_its_retry_gets_the_first_answer()
    {
        var (_, award) = await api.AwardAsync();
        var clerk = await api.TokenAsync("lease-clerk", "clerk");
        var key = Guid.NewGuid().ToString();
        var first = await api.PostAsync("/api/disbursements", clerk, Request(award), key);
        first.Status.ShouldBe(HttpStatusCode.Created, first.Body.ToString());

        // As if the process ended after the claim and before the answer was stored: the claim stays, unanswered (claims are
        // timed by the server clock, which the fixture holds still, so a claim ages by moving its time back).
        await ForgetAnswerAsync(key, "0 minutes");
        var running = await api.PostAsync("/api/disbursements", clerk, Request(award), key);
        running.Status.ShouldBe(HttpStatusCode.Conflict);
        running.Body.GetProperty("code").GetString().ShouldBe("idempotency.in-flight");

        await ForgetAnswerAsync(key, $"{ApiPipeline.ClaimLease.TotalMinutes + 1} minutes");
        var retried = await api.PostAsync("/api/disbursements", clerk, Request(award), key);
        retried.Status.ShouldBe(HttpStatusCode.Created, retried.Body.ToString());
        retried.Body.ToString().ShouldBe(first.Body.ToString());
        (await api.App.Awards.LoadAsync(award, null, CancellationToken.None)).State.Disbursements.Count.ShouldBe(1, "the retry ran the command again: one effect");
        (await api.PostAsync("/api/disbursements", clerk, Request(award), key)).Body.ToString().ShouldBe(first.Body.ToString());

        async Task ForgetAnswerAsync(string idempotencyKey, string age)
        {
            await using var forget = api.Database.Owner.CreateCommand(
                "UPDATE api_requests SET status = NULL, content_type = NULL, body = NULL, completed_at = NULL, created_at = created_at - $2::interval WHERE idempotency_key = $1");
            forget.Parameters.Add(new NpgsqlParameter { Value = idempotencyKey });
            forget.Parameters.Add(new NpgsqlParameter { Value = age });
            (await forget.ExecuteNonQueryAsync()).ShouldBe(1);
        }
    }

    /// <summary>Sends one command and checks its stored answer: the events' transaction, the read tables' values, the HTTP answer.</summary>
    private async Task<(JsonElement Body, Guid Id)> SendAsync(string path, string token, object? body, HttpStatusCode expected, string status)
    {
        var key = Guid.NewGuid().ToString();
        var (code, answer, response) = await api.PostAsync(path, token, body, key);
        code.ShouldBe(expected, answer.ToString());
        var id = answer.GetProperty("id").GetGuid();
        answer.GetProperty("status").GetString().ShouldBe(status);

        await using var command = api.Database.Owner.CreateCommand(
            "SELECT r.xmin::text, k.xmin::text, r.status, r.body, d.status, s.version, " +
            " (SELECT count(*) FROM mt_events e WHERE e.headers->>'idempotency-key' = 'http:' || r.idempotency_key AND e.xmin <> r.xmin) " +
            "FROM api_requests r JOIN idempotency_keys k ON k.key = 'http:' || r.idempotency_key " +
            "JOIN disbursements d ON d.disbursement_id = $2 JOIN mt_streams s ON s.id = d.award_id WHERE r.idempotency_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue($"{path}: no answer row joined to the command's idempotency record");
        reader.GetString(0).ShouldBe(reader.GetString(1), $"{path}: the answer and the command committed in different transactions");
        reader.GetInt64(6).ShouldBe(0, $"{path}: events of the command in another transaction than its answer");
        reader.GetInt32(2).ShouldBe((int)expected);
        reader.GetString(3).ShouldBe(JsonSerializer.Serialize(new DisbursementAnswer(id, answer.GetProperty("awardId").GetGuid(), reader.GetString(4), reader.GetInt64(5)), ApiJson.Output),
            $"{path}: the stored answer is not what the read tables say");
        JsonDocument.Parse(reader.GetString(3)).RootElement.ToString().ShouldBe(answer.ToString());
        response.Headers.ETag!.Tag.ShouldBe($"\"{reader.GetInt64(5)}\"");

        // The same key again gets the stored answer.
        var again = await api.PostAsync(path, token, body, key);
        again.Status.ShouldBe(expected);
        again.Body.ToString().ShouldBe(answer.ToString());
        return (answer, id);
    }

    [Fact]
    public async Task A_command_whose_commit_fails_leaves_no_answer_and_one_that_commits_leaves_its_answer()
    {
        var (_, award) = await api.AwardAsync();
        var answers = api.Web.Services.GetRequiredService<CommandAnswers>();
        var account = (await api.App.Awards.LoadAsync(award, null, CancellationToken.None)).State;
        var enterprise = (await api.App.Enterprises.LoadAsync(account.Award.EnterpriseId, null, CancellationToken.None)).State!;

        foreach (var fails in new[] { true, false })
        {
            var key = Guid.NewGuid().ToString();
            var disbursement = Guid.NewGuid();
            await using (var claim = api.Database.Owner.CreateCommand("INSERT INTO api_requests (idempotency_key, fingerprint, created_at) VALUES ($1, 'f', now())"))
            {
                claim.Parameters.Add(new NpgsqlParameter { Value = key });
                await claim.ExecuteNonQueryAsync();
            }
            var version = await api.App.Store.StreamVersionAsync(award);
            using var expected = answers.Expect(key, "http:" + key, award, disbursement, 201);
            await using (var session = api.App.Store.Marten.LightweightSession())
            {
                var requested = new DisbursementRequested(award, disbursement, Money.Of(10m), FundingLevel.County, "320205", 2026, enterprise.Id,
                    enterprise.BankAccount!, "answers-clerk", ApiFixture.Now);
                var pending = EventStore.EventStore.Stage(session, new CommandAppend(
                    [new StreamAppend(award, "award", version, "320205", [requested])],
                    new EventMetadata("answers-clerk", "clerk", Guid.NewGuid(), null, "http:" + key, null, null), "fingerprint"));
                if (fails)
                {
                    session.QueueSqlCommand("SELECT 1 / 0");
                    await Should.ThrowAsync<Exception>(() => EventStore.EventStore.SaveAsync(session, pending, CancellationToken.None));
                }
                else
                {
                    await EventStore.EventStore.SaveAsync(session, pending, CancellationToken.None);
                }
            }

            (await api.CountAsync($"SELECT count(*) FROM api_requests WHERE idempotency_key = '{key}' AND status IS NOT NULL")).ShouldBe(fails ? 0 : 1);
            (await api.CountAsync($"SELECT count(*) FROM mt_events WHERE stream_id = '{award}' AND data->>'disbursementId' = '{disbursement}'")).ShouldBe(fails ? 0 : 1);
            if (fails)
            {
                expected.Answer.Committed.ShouldBeNull();
            }
            else
            {
                expected.Answer.Committed.ShouldBe(new DisbursementAnswer(disbursement, award, "requested", version + 1));
            }
        }
    }
}
