using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ledger.Api.Tests;

/// <summary>An award in Xishan with a requested and an approved disbursement, and tokens for a clerk, an approver and a bureau head: what the sweep's requests aim at.</summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public ApiFixture Api { get; } = new();

    public string Clerk { get; private set; } = "";

    public string Head { get; private set; } = "";

    public string Approver { get; private set; } = "";

    public string Auditor { get; private set; } = "";

    public string Admin { get; private set; } = "";

    public string Uscc { get; private set; } = "";

    public Guid Award { get; private set; }

    public Guid Disbursement { get; private set; }

    public Guid Approved { get; private set; }

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        Clerk = await Api.TokenAsync("sweep-clerk", "clerk");
        Head = await Api.TokenAsync("sweep-head", "bureau-head");
        Approver = await Api.TokenAsync("sweep-approver", "approver");
        Auditor = await Api.TokenAsync("sweep-auditor", "auditor");
        Admin = await Api.TokenAsync("sweep-admin", "admin");
        (Uscc, Award) = await Api.AwardAsync();
        var requested = await Api.PostAsync("/api/disbursements", Clerk, new { awardId = Award, amount = "1000.00", level = "county", plannedYear = 2026 });
        requested.Status.ShouldBe(HttpStatusCode.Created, requested.Body.ToString());
        Disbursement = requested.Body.GetProperty("id").GetGuid();
        Approved = (await Api.PostAsync("/api/disbursements", Clerk, new { awardId = Award, amount = "1000.00", level = "county", plannedYear = 2026 })).Body.GetProperty("id").GetGuid();
        (await Api.PostAsync($"/api/disbursements/{Approved}/approve", Approver)).Status.ShouldBe(HttpStatusCode.OK);
    }

    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// Bad input of every kind (wrong types, missing and unknown fields, numbers too big or too precise, invalid USCCs and
/// dates, SQL-looking text, bodies too large, empty or not JSON, no Idempotency-Key): each is a 4xx problem document
/// naming the field at fault, never a 500, and nothing is written.
/// </summary>
public sealed class BadInputFacts(BadInputFixture sweep) : IClassFixture<BadInputFixture>
{
    private const string Sql = "'; DROP TABLE mt_events; --";

    /// <summary>A bad request: who sends it, where, the raw body (with {award}, {uscc}, {disbursement} and {approved} filled in), the status and field expected.</summary>
    public sealed record Case(string Token, string Method, string Path, string? Body, int Status, string? Field)
    {
        public string? IfMatch { get; init; }
    }

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["amount as a number"] = Request("""{"awardId":"{award}","amount":100000,"level":"county","plannedYear":2026}""", 400, "amount"),
        ["plannedYear as a string"] = Request("""{"awardId":"{award}","amount":"100.00","level":"county","plannedYear":"x"}""", 400, "plannedYear"),
        ["awardId not a uuid"] = Request("""{"awardId":"award-1","amount":"100.00","level":"county"}""", 400, "awardId"),
        ["amount missing"] = Request("""{"awardId":"{award}","level":"county","plannedYear":2026}""", 400, "amount"),
        ["level missing"] = Request("""{"awardId":"{award}","amount":"100.00"}""", 400, "level"),
        ["amount null"] = Request("""{"awardId":"{award}","amount":null,"level":"county"}""", 400, "amount"),
        ["an unknown field"] = Request("""{"awardId":"{award}","amount":"100.00","level":"county","colour":"red"}""", 400, "colour"),
        ["amount 1e30"] = Request("""{"awardId":"{award}","amount":"1e30","level":"county"}""", 400, "amount"),
        ["amount beyond any budget"] = Request("""{"awardId":"{award}","amount":"99999999999999999999999.99","level":"county"}""", 400, "amount"),
        ["amount beyond a decimal"] = Request("""{"awardId":"{award}","amount":"99999999999999999999999999999999.99","level":"county"}""", 400, "amount"),
        ["plannedYear beyond an int"] = Request("""{"awardId":"{award}","amount":"100.00","level":"county","plannedYear":99999999999}""", 400, "plannedYear"),
        ["plannedYear beyond the calendar"] = Request("""{"awardId":"{award}","amount":"100.00","level":"county","plannedYear":99999}""", 400, "plannedYear"),
        ["amount with 3 decimals"] = Request("""{"awardId":"{award}","amount":"0.001","level":"county"}""", 400, "amount"),
        ["amount negative"] = Request("""{"awardId":"{award}","amount":"-100.00","level":"county"}""", 422, "amount"),
        ["level unknown"] = Request("""{"awardId":"{award}","amount":"100.00","level":"village"}""", 400, "level"),
        ["an empty body"] = Request("", 400, "body"),
        ["a body that is not JSON"] = Request("amount=100000", 400, "body"),
        ["a JSON array"] = Request("""[1, 2]""", 400, "body"),
        ["truncated JSON"] = Request("""{"awardId":"{award}","amount":"100.""", 400, "amount"),
        ["JSON null"] = Request("null", 400, "body"),
        ["an invalid USCC to register"] = Register("91320205MA00000010", 400, "uscc"),
        ["SQL as the USCC to register"] = Register(Sql, 400, "uscc"),
        ["SQL as the county to register in"] = new("clerk", "POST", "/api/enterprises",
            $$"""{"uscc":"91320205MA0000009X","name":"示例有限公司","countyCode":"{{Escape(Sql)}}","industry":"制造业"}""", 400, "countyCode"),
        ["a county that is not a division"] = new("clerk", "POST", "/api/enterprises",
            """{"uscc":"91320205MA0000009X","name":"示例有限公司","countyCode":"329999","industry":"制造业"}""", 400, "countyCode"),
        ["a county outside the clerk's division"] = new("clerk", "POST", "/api/enterprises",
            """{"uscc":"91320205MA0000009X","name":"示例有限公司","countyCode":"330424","industry":"制造业"}""", 404, null),
        ["a budget line of a division that does not exist"] = new("admin", "POST", "/api/budgets",
            """{"divisionCode":"999999","year":2030,"level":"county","amount":"1.00"}""", 400, "divisionCode"),
        ["SQL as a published figure's jurisdiction"] = new("admin", "POST", "/api/published-figures",
            $$"""{"jurisdictionCode":"{{Escape(Sql)}}","year":2026,"measure":"srdi_reward_total","basis":"paid","value":"1.00","source":"sweep"}""", 400, "jurisdictionCode"),
        ["an invalid USCC in the history route"] = new("head", "GET", "/api/enterprises/91320205MA00000010/history", null, 400, "uscc"),
        ["SQL as the USCC in the history route"] = new("head", "GET", $"/api/enterprises/{Uri.EscapeDataString(Sql)}/history", null, 400, "uscc"),
        ["history asOf yesterday"] = new("head", "GET", "/api/enterprises/{uscc}/history?asOf=yesterday", null, 400, "asOf"),
        ["totals asOf yesterday"] = new("head", "GET", "/api/reports/totals?year=2026&asOf=yesterday", null, 400, "asOf"),
        ["totals year x"] = new("head", "GET", "/api/reports/totals?year=x", null, 400, "year"),
        ["totals year beyond an int"] = new("head", "GET", "/api/reports/totals?year=99999999999", null, 400, "year"),
        ["totals without a year"] = new("head", "GET", "/api/reports/totals", null, 400, "year"),
        ["SQL as the jurisdiction"] = new("head", "GET", $"/api/reports/totals?year=2026&jurisdiction={Uri.EscapeDataString(Sql)}", null, 400, "jurisdiction"),
        ["SQL as the issuer"] = new("head", "GET", $"/api/reports/totals?year=2026&issuer={Uri.EscapeDataString(Sql)}", null, 400, "issuer"),
        ["a value date of 30 February"] = new("clerk", "POST", "/api/disbursements/{approved}/pay", """{"voucherNo":"SWEEP-0001","valueDate":"2026-02-30"}""", 400, "valueDate"),
        ["a value date that is not a date"] = new("clerk", "POST", "/api/disbursements/{approved}/pay", """{"voucherNo":"SWEEP-0001","valueDate":"yesterday"}""", 400, "valueDate"),
        ["a voucher missing"] = new("clerk", "POST", "/api/disbursements/{approved}/pay", """{"valueDate":"2026-11-30"}""", 400, "voucherNo"),
        ["a blank voucher"] = new("clerk", "POST", "/api/disbursements/{approved}/pay", """{"voucherNo":" ","valueDate":"2026-11-30"}""", 400, "voucherNo"),
        ["a blank reason"] = new("approver", "POST", "/api/disbursements/{disbursement}/reject", """{"reason":"  "}""", 400, "reason"),
        ["a disbursement id that is not a uuid"] = new("approver", "POST", "/api/disbursements/not-a-uuid/approve", "", 404, null),
        ["an amount with a thousands separator"] = Request("""{"awardId":"{award}","amount":"1,000.00","level":"county"}""", 400, "amount"),
        ["a bank account of the wrong type"] = new("clerk", "POST", "/api/enterprises",
            """{"uscc":"91320205MA0000009X","name":"示例有限公司","countyCode":"320205","industry":"制造业","bankAccount":5}""", 400, "bankAccount"),
        ["JSON nested too deep"] = Request(new string('[', 200) + new string(']', 200), 400, "body"),
        ["a NUL character in a reason"] = new("approver", "POST", "/api/disbursements/{disbursement}/reject", """{"reason":"a\u0000b"}""", 400, "reason"),
        ["an If-Match that is not a version"] = new("approver", "POST", "/api/disbursements/{disbursement}/approve", "", 400, "If-Match") { IfMatch = "\"abc\"" },
        ["an event stream that is not a uuid"] = new("auditor", "GET", "/api/events?stream=x", null, 400, "stream"),
        ["an event limit of 0"] = new("auditor", "GET", "/api/events?limit=0", null, 400, "limit"),
        ["an event since that is not an instant"] = new("auditor", "GET", "/api/events?since=2026-13-01", null, 400, "since"),
        ["a NUL character in an award status"] = new("head", "GET", "/api/awards?status=a%00b", null, 400, "status"),
        ["a NUL character in an event type"] = new("auditor", "GET", "/api/events?type=a%00b", null, 400, "type"),
        ["a NUL character in a measure"] = new("head", "GET", "/api/reports/reconciliation?year=2026&jurisdiction=320205&measure=a%00b", null, 400, "measure"),
        ["a budget of the largest decimal"] = new("admin", "POST", "/api/budgets", """{"divisionCode":"320205","year":2030,"level":"county","amount":"79228162514264337593543950335"}""", 400, "amount"),
        ["a budget beyond any county's"] = new("admin", "POST", "/api/budgets", """{"divisionCode":"320205","year":2030,"level":"county","amount":"99999999999999999999999.99"}""", 400, "amount"),
        ["a budget adjustment of the largest decimal"] = new("admin", "POST", "/api/budgets/adjustments",
            """{"divisionCode":"320205","year":2026,"level":"county","delta":"79228162514264337593543950335","reason":"sweep"}""", 400, "delta"),
        ["a published figure beyond a decimal"] = new("admin", "POST", "/api/published-figures",
            """{"jurisdictionCode":"320205","year":2026,"measure":"srdi_reward_total","basis":"paid","value":"1e30","source":"sweep"}""", 400, "value"),
        ["a published figure beyond any county's"] = new("admin", "POST", "/api/published-figures",
            """{"jurisdictionCode":"320205","year":2026,"measure":"srdi_reward_total","basis":"paid","value":"99999999999999999999999.99","source":"sweep"}""", 400, "value"),
        ["a route that does not exist"] = new("head", "GET", "/api/nothing-here", null, 404, null),
        ["a method a route does not take"] = new("head", "DELETE", "/api/reports/totals?year=2026", null, 405, null),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_is_a_4xx_problem_naming_the_field_and_writes_nothing(string name)
    {
        var c = Cases[name];
        var before = await WrittenAsync();

        var (status, body, response) = await sweep.Api.SendAsync(new HttpMethod(c.Method), Fill(c.Path), Token(c.Token), rawBody: c.Body is null ? null : Fill(c.Body), ifMatch: c.IfMatch);

        ((int)status).ShouldBe(c.Status, body.ToString());
        (response.Content.Headers.ContentType?.MediaType).ShouldBe("application/problem+json");
        body.GetProperty("status").GetInt32().ShouldBe(c.Status);
        body.GetProperty("code").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
        (body.GetProperty("field").ValueKind == JsonValueKind.Null ? null : body.GetProperty("field").GetString()).ShouldBe(c.Field, body.ToString());
        (await WrittenAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_body_over_1_MB_is_413_and_writes_nothing()
    {
        var before = await WrittenAsync();
        var padding = new string('x', 2 * 1024 * 1024);

        var (status, body, response) = await SendAsync("POST", "/api/disbursements", sweep.Clerk,
            $$"""{"awardId":"{{sweep.Award}}","amount":"100.00","level":"county","note":"{{padding}}"}""");

        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (response.Content.Headers.ContentType?.MediaType).ShouldBe("application/problem+json");
        body.GetProperty("code").GetString().ShouldBe("request.too-large");
        body.GetProperty("field").GetString().ShouldBe("body");
        (await WrittenAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_body_over_1_MB_sent_in_chunks_without_a_length_is_413_too()
    {
        var before = await WrittenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/disbursements");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sweep.Clerk);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.TransferEncodingChunked = true;
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"amount":"{{new string('9', 2 * 1024 * 1024)}}"}""")));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await sweep.Api.Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        body.GetProperty("code").GetString().ShouldBe("request.too-large");
        (await WrittenAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_nul_character_in_the_path_is_refused_by_the_server_before_the_ledger_sees_it()
    {
        var before = await WrittenAsync();

        var (status, _, _) = await sweep.Api.PostAsync("/api/users/a%00b/revoke", sweep.Admin);

        status.ShouldBe(HttpStatusCode.BadRequest);
        (await WrittenAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_post_without_an_idempotency_key_is_400_naming_the_header()
    {
        var before = await WrittenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/disbursements");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sweep.Clerk);
        request.Content = new StringContent($$"""{"awardId":"{{sweep.Award}}","amount":"100.00","level":"county"}""", Encoding.UTF8, "application/json");

        using var response = await sweep.Api.Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (response.Content.Headers.ContentType?.MediaType).ShouldBe("application/problem+json");
        body.GetProperty("code").GetString().ShouldBe("idempotency.key-required");
        body.GetProperty("field").GetString().ShouldBe("Idempotency-Key");
        (await WrittenAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("reason")]
    [InlineData("voucherNo")]
    public async Task Sql_looking_text_is_kept_as_text_and_runs_nothing(string field)
    {
        var (_, award) = await sweep.Api.AwardAsync();
        var id = (await sweep.Api.PostAsync("/api/disbursements", sweep.Clerk, new { awardId = award, amount = "100.00", level = "county", plannedYear = 2026 }))
            .Body.GetProperty("id").GetGuid();
        var events = await sweep.Api.CountAsync("SELECT count(*) FROM mt_events");

        var answer = field == "reason"
            ? await sweep.Api.PostAsync($"/api/disbursements/{id}/reject", sweep.Approver, new { reason = Sql })
            : await PayAsync(id);

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Body.ToString());
        (await sweep.Api.CountAsync("SELECT count(*) FROM mt_events")).ShouldBeGreaterThan(events);
        var stored = field == "reason" ? "reason" : "voucherNumber";
        (await sweep.Api.CountAsync($"SELECT count(*) FROM mt_events WHERE stream_id = '{award}' AND data->>'{stored}' = '{Sql.Replace("'", "''", StringComparison.Ordinal)}'"))
            .ShouldBe(1);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PayAsync(Guid id)
    {
        (await sweep.Api.PostAsync($"/api/disbursements/{id}/approve", sweep.Approver)).Status.ShouldBe(HttpStatusCode.OK);
        return await sweep.Api.PostAsync($"/api/disbursements/{id}/pay", sweep.Clerk, new { voucherNo = Sql, valueDate = "2026-11-30" });
    }

    /// <summary>Events, the idempotency records that completed with a success, and enterprises: what a refused request must not add to.</summary>
    private Task<long> WrittenAsync() =>
        sweep.Api.CountAsync("SELECT (SELECT count(*) FROM mt_events) + (SELECT count(*) FROM api_requests WHERE status < 400)");

    private Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(string method, string path, string? token, string? body) =>
        sweep.Api.SendAsync(new HttpMethod(method), path, token, rawBody: body);

    private string? Token(string who) => who switch
    {
        "clerk" => sweep.Clerk,
        "approver" => sweep.Approver,
        "auditor" => sweep.Auditor,
        "admin" => sweep.Admin,
        _ => sweep.Head,
    };

    private string Fill(string text) => text.Replace("{award}", sweep.Award.ToString(), StringComparison.Ordinal)
        .Replace("{uscc}", sweep.Uscc, StringComparison.Ordinal)
        .Replace("{disbursement}", sweep.Disbursement.ToString(), StringComparison.Ordinal)
        .Replace("{approved}", sweep.Approved.ToString(), StringComparison.Ordinal);

    private static Case Request(string body, int status, string? field) => new("clerk", "POST", "/api/disbursements", body, status, field);

    private static Case Register(string uscc, int status, string? field) => new("clerk", "POST", "/api/enterprises",
        $$"""{"uscc":"{{Escape(uscc)}}","name":"示例有限公司","countyCode":"320205","industry":"制造业"}""", status, field);

    private static string Escape(string text) => JsonSerializer.Serialize(text)[1..^1];
}
