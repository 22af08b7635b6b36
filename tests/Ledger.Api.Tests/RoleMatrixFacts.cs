using System.Net;
using Ledger.Enterprises;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests;

/// <summary>
/// Awards in Xishan (one with a requested disbursement, one whose enterprise moves, one whose designation is revoked, so
/// that no row takes away what another acts on) and a Xishan token per role: an allowed role's request is real enough
/// to reach the ledger.
/// </summary>
public sealed class RoleMatrixFixture : IAsyncLifetime
{
    public ApiFixture Api { get; } = new();

    public Dictionary<string, string> Tokens { get; } = [];

    public string Uscc { get; private set; } = "";

    public Guid Award { get; private set; }

    public Guid Designation { get; private set; }

    public Guid Disbursement { get; private set; }

    public string MovingUscc { get; private set; } = "";

    public Guid RevokedDesignation { get; private set; }

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        foreach (var role in ApiUsers.Roles)
        {
            Tokens[role] = await Api.TokenAsync($"matrix-{role}", role);
        }
        (Uscc, Award) = await Api.AwardAsync();
        Designation = await DesignationAsync(Award);
        (MovingUscc, _) = await Api.AwardAsync();
        RevokedDesignation = await DesignationAsync((await Api.AwardAsync()).Award);
        var requested = await Api.PostAsync("/api/disbursements", Tokens["clerk"], new { awardId = Award, amount = "1000.00", level = "county", plannedYear = 2026 });
        requested.Status.ShouldBe(HttpStatusCode.Created, requested.Body.ToString());
        Disbursement = requested.Body.GetProperty("id").GetGuid();
    }

    public Task DisposeAsync() => Api.DisposeAsync();

    private async Task<Guid> DesignationAsync(Guid award) => (await Api.App.Awards.LoadAsync(award, null, CancellationToken.None)).State.Award.DesignationId;
}

/// <summary>
/// Every route of <see cref="ApiRoutes"/> against every role (DESIGN.md §8): an allowed role gets past authorization
/// (any answer but 401, 403 or a 500), any other role gets 403 <c>auth.forbidden</c> and writes nothing, and no token
/// at all gets 401. The matrix must name every endpoint that has roles, so a new route cannot go without a row.
/// </summary>
public sealed class RoleMatrixFacts(RoleMatrixFixture matrix) : IClassFixture<RoleMatrixFixture>
{
    private static readonly string[] Clerk = ["clerk"];
    private static readonly string[] Approver = ["approver"];
    private static readonly string[] Admin = ["admin"];
    private static readonly string[] Reports = ["bureau-head", "auditor", "admin"];
    private static readonly string[] Everyone = ["clerk", "approver", "auditor", "bureau-head", "admin"];
    private static readonly string[] Audit = ["auditor", "admin"];

    /// <summary>A route as mapped, the roles the design gives it, and a request for it that an allowed role may really make.</summary>
    public sealed record Row(string Method, string Pattern, string[] Roles, Func<RoleMatrixFixture, string> Path, Func<RoleMatrixFixture, object?>? Body = null);

    private static readonly Row[] Rows =
    [
        new("GET", "/api/reports/totals", Reports, _ => "/api/reports/totals?year=2026"),
        new("GET", "/api/reports/reconciliation", Reports, _ => "/api/reports/reconciliation?year=2026&jurisdiction=320205"),
        new("GET", "/api/reports/budget", Reports, _ => "/api/reports/budget?year=2026"),
        new("GET", "/api/enterprises/{uscc}/history", Everyone, m => $"/api/enterprises/{m.Uscc}/history"),
        new("GET", "/api/awards", Everyone, _ => "/api/awards"),
        new("GET", "/api/approvals", Approver, _ => "/api/approvals"),
        // DESIGN.md §8: "auditor and bureau-head — reads (auditors also /api/verify and the read log)": the event log is a read.
        new("GET", "/api/events", Reports, _ => "/api/events?limit=5"),
        new("GET", "/api/verify", Audit, _ => "/api/verify"),
        new("GET", "/api/read-log", Audit, _ => "/api/read-log"),
        new("POST", "/api/disbursements", Clerk, _ => "/api/disbursements",
            m => new { awardId = m.Award, amount = "1.00", level = "county", plannedYear = 2026 }),
        new("POST", "/api/disbursements/{id:guid}/approve", Approver, m => $"/api/disbursements/{m.Disbursement}/approve"),
        new("POST", "/api/disbursements/{id:guid}/reject", Approver, m => $"/api/disbursements/{m.Disbursement}/reject", _ => new { reason = "matrix" }),
        new("POST", "/api/disbursements/{id:guid}/cancel", Clerk, m => $"/api/disbursements/{m.Disbursement}/cancel", _ => new { reason = "matrix" }),
        new("POST", "/api/disbursements/{id:guid}/pay", Clerk, m => $"/api/disbursements/{m.Disbursement}/pay",
            _ => new { voucherNo = "MATRIX-0001", valueDate = "2026-11-30" }),
        new("POST", "/api/disbursements/{id:guid}/return", Clerk, m => $"/api/disbursements/{m.Disbursement}/return",
            _ => new { returnedOn = "2026-11-30", reason = "matrix" }),
        new("POST", "/api/enterprises", Clerk, _ => "/api/enterprises",
            _ => new { uscc = NewUscc(), name = "矩阵测试有限公司", countyCode = "320205", industry = "制造业" }),
        new("POST", "/api/enterprises/{uscc}/corrections", Clerk, m => $"/api/enterprises/{m.Uscc}/corrections", _ => new { reason = "matrix", name = "矩阵更名精密机械有限公司" }),
        new("POST", "/api/enterprises/{uscc}/relocations", Clerk, m => $"/api/enterprises/{m.MovingUscc}/relocations",
            _ => new { toCountyCode = "320206", on = "2026-11-01", registryReference = "matrix" }),
        new("POST", "/api/enterprises/{uscc}/recognitions", Clerk, m => $"/api/enterprises/{m.Uscc}/recognitions",
            _ => new { tier = "municipal-srdi", authority = "320200", documentNo = $"矩阵〔2026〕{Guid.NewGuid():N}号", recognizedOn = "2026-10-15" }),
        new("POST", "/api/designations/{id:guid}/renewals", Clerk, m => $"/api/designations/{m.Designation}/renewals",
            _ => new { outcome = "passed", decidedOn = "2026-11-01", reviewer = "matrix" }),
        new("POST", "/api/designations/{id:guid}/revocations", Admin, m => $"/api/designations/{m.RevokedDesignation}/revocations",
            _ => new { revokedOn = "2026-11-01", reason = "matrix" }),
        new("POST", "/api/awards/{id:guid}/clawbacks", Admin, m => $"/api/awards/{m.Award}/clawbacks", _ => new { level = "county", amount = "1.00", reason = "matrix" }),
        new("POST", "/api/awards/{id:guid}/clawbacks/{clawbackId:guid}/repayments", Clerk, m => $"/api/awards/{m.Award}/clawbacks/{Guid.NewGuid()}/repayments",
            _ => new { amount = "1.00", valueDate = "2026-11-30", voucherNo = "MATRIX-0002" }),
        new("POST", "/api/budgets", Admin, _ => "/api/budgets", _ => new { divisionCode = "320205", year = 2027, level = "county", amount = "1000.00" }),
        new("POST", "/api/budgets/adjustments", Admin, _ => "/api/budgets/adjustments",
            _ => new { divisionCode = "320205", year = 2026, level = "county", delta = "1.00", reason = "matrix" }),
        new("POST", "/api/expiry", Admin, _ => "/api/expiry", _ => new { asOf = "2026-12-01" }),
        new("POST", "/api/published-figures", Admin, _ => "/api/published-figures",
            _ => new { jurisdictionCode = "320205", year = 2026, measure = "srdi_reward_total", basis = "paid", value = "1.00", source = "matrix" }),
        new("POST", "/api/users", Admin, _ => "/api/users", _ => new { name = "matrix-new", role = "clerk", division = "320205" }),
        new("POST", "/api/users/{name}/revoke", Admin, _ => "/api/users/nobody/revoke"),
    ];

    public static TheoryData<string> Routes() => [.. Rows.Select(Name)];

    [Fact]
    public void Every_endpoint_with_roles_has_a_row_and_the_row_names_the_same_roles()
    {
        var mapped = matrix.Api.Web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AllowedRoles>() is not null)
            .SelectMany(e => e.Metadata.GetRequiredMetadata<HttpMethodMetadata>().HttpMethods.Select(method =>
                $"{method} {e.RoutePattern.RawText} {string.Join(",", e.Metadata.GetRequiredMetadata<AllowedRoles>().Roles.Order(StringComparer.Ordinal))}"))
            .Order(StringComparer.Ordinal).ToList();
        var rows = Rows.Select(r => $"{r.Method} {r.Pattern} {string.Join(",", r.Roles.Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal).ToList();

        mapped.Count.ShouldBeGreaterThanOrEqualTo(28);
        mapped.Except(rows).ShouldBeEmpty("endpoints with roles that the matrix has no row for (or other roles)");
        rows.Except(mapped).ShouldBeEmpty("matrix rows that no endpoint matches");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_allowed_role_gets_past_authorization_and_every_other_role_gets_403(string route)
    {
        var row = Rows.Single(r => Name(r) == route);
        var wrong = new List<string>();
        foreach (var role in ApiUsers.Roles)
        {
            var events = await matrix.Api.CountAsync("SELECT count(*) FROM mt_events");
            var (status, body, response) = await SendAsync(row, matrix.Tokens[role]);
            if (row.Roles.Contains(role))
            {
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)status >= 500)
                {
                    wrong.Add($"{role}: allowed, but answered {(int)status} {body}");
                }
                continue;
            }
            if (status != HttpStatusCode.Forbidden || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || body.GetProperty("code").GetString() != "auth.forbidden")
            {
                wrong.Add($"{role}: not allowed, but answered {(int)status} {body}");
            }
            if (await matrix.Api.CountAsync("SELECT count(*) FROM mt_events") != events)
            {
                wrong.Add($"{role}: not allowed, but events were written");
            }
        }
        wrong.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Without_a_token_every_route_is_401_and_with_an_unknown_token_too(string route)
    {
        var row = Rows.Single(r => Name(r) == route);

        var (status, body, response) = await SendAsync(row, token: null);
        var (unknown, unknownBody, _) = await SendAsync(row, token: "ldg_not-a-token-anyone-was-given");

        status.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        body.GetProperty("code").GetString().ShouldBe("auth.required");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        unknown.ShouldBe(HttpStatusCode.Unauthorized);
        unknownBody.GetProperty("code").GetString().ShouldBe("auth.invalid-token");
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/openapi/v1.json")]
    public async Task Health_and_the_openapi_document_need_no_token(string path)
    {
        var (status, body, _) = await matrix.Api.GetAsync(path, token: null);

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Object);
    }

    private Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response)> SendAsync(Row row, string? token) =>
        matrix.Api.SendAsync(new HttpMethod(row.Method), row.Path(matrix), token, row.Body?.Invoke(matrix));

    private static string Name(Row row) => $"{row.Method} {row.Pattern}";

    private static int _serial;

    private static string NewUscc()
    {
        var first17 = $"91320205MB{Interlocked.Increment(ref _serial):D7}";
        return first17 + Uscc.CheckCharacter(first17);
    }
}
