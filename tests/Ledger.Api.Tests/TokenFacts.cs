using System.Net;
using NodaTime;

namespace Ledger.Api.Tests;

/// <summary>Tokens stop working when revoked (by the API at once, by another process within the trust time) and when they expire.</summary>
public sealed class TokenFacts(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Awards = "/api/awards?jurisdiction=320205";

    [Fact]
    public async Task A_token_revoked_through_the_api_stops_at_once()
    {
        var clerk = await api.TokenAsync("revoked-at-once", "clerk");
        var admin = await api.TokenAsync("token-admin", "admin");
        (await api.GetAsync(Awards, clerk)).Status.ShouldBe(HttpStatusCode.OK);

        (await api.PostAsync("/api/users/revoked-at-once/revoke", admin)).Status.ShouldBe(HttpStatusCode.OK);

        var refused = await api.GetAsync(Awards, clerk);
        refused.Status.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Body.GetProperty("code").GetString().ShouldBe("auth.invalid-token");
    }

    [Fact]
    public async Task A_token_revoked_by_another_process_stops_within_the_trust_time()
    {
        var clerk = await api.TokenAsync("revoked-elsewhere", "clerk");
        (await api.GetAsync(Awards, clerk)).Status.ShouldBe(HttpStatusCode.OK);

        // `ledger users revoke` is another process: its own users table client, not the server's.
        (await new ApiUsers(api.Database.App, api.Reference, api.Clock).RevokeAsync("revoked-elsewhere")).ShouldBeTrue();

        var deadline = DateTime.UtcNow + ApiUsers.TrustFor + TimeSpan.FromSeconds(2);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            status = (await api.GetAsync(Awards, clerk)).Status;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var users = new ApiUsers(api.Database.App, api.Reference, new NodaTime.Testing.FakeClock(ApiFixture.Now - Duration.FromDays(40)));
        var (_, token) = await users.AddAsync("expired-clerk", "clerk", "320205", 30);

        var refused = await api.GetAsync(Awards, token);

        refused.Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await api.CountAsync("SELECT count(*) FROM api_users WHERE name = 'expired-clerk' AND token_hash LIKE '%' AND revoked_at IS NULL")).ShouldBe(1);
    }
}
