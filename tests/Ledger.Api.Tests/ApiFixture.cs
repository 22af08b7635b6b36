using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Reference;
using Ledger.Testing;
using Microsoft.AspNetCore.Builder;
using NodaTime;
using NodaTime.Testing;

namespace Ledger.Api.Tests;

/// <summary>
/// The API over real HTTP (Kestrel on a loopback port) against a fresh database: a Xishan and a Haiyan county policy with
/// 2026 budget lines, awards to create per test, and bearer tokens per role and division.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public static readonly Instant Now = Instant.FromUtc(2026, 12, 1, 2, 0);

    private int _serial;

    public FakeClock Clock { get; } = new(Now);

    public LedgerDatabase Database { get; private set; } = null!;

    public WebApplication Web { get; private set; } = null!;

    public LedgerApp App { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public ReferenceData Reference { get; } = ReferenceDataLoader.LoadDefault();

    public async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        Web = LedgerApi.Build(Database, Reference, new LedgerAppOptions { Clock = Clock, TreasuryFolder = Path.Combine(Path.GetTempPath(), $"ledger-api-treasury-{Guid.NewGuid():N}") },
            "http://127.0.0.1:0");
        await Web.StartAsync();
        App = LedgerApi.Ledger(Web);
        Http = new HttpClient { BaseAddress = new Uri(Web.Urls.First()) };
        var admin = new Caller("admin", "admin");
        foreach (var (issuer, name, document) in new[] { ("320205", "无锡市锡山区", "锡政发〔2021〕1号"), ("330424", "海盐县", "盐政发〔2021〕2号") })
        {
            var terms = new PolicyDraft("专精特新奖励", document, new LocalDate(2021, 1, 1), new LocalDate(2021, 1, 1), null,
                [new RuleDraft("provincial-srdi", AwardTrigger.Recognition, 300000m, AmountKind.UpTo)], Stacking.HighestOnly,
                [new FundingShare(FundingLevel.County, 100m)], 5, null);
            await App.SendAsync(new IssueAwardPolicy(issuer, name, terms, "", default), admin);
            await App.SendAsync(new AppropriateBudget(new BudgetLineKey(issuer, 2026, FundingLevel.County), 100_000_000m, "", default), admin);
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Web.StopAsync();
        await Web.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A new enterprise in the county with a provincial recognition of 2022-01-20 (imported): its USCC and 300,000 award.</summary>
    public async Task<(string Uscc, Guid Award)> AwardAsync(string county = "320205")
    {
        var serial = Interlocked.Increment(ref _serial);
        var first17 = $"91{county}MA{serial:D7}";
        var uscc = first17 + Uscc.CheckCharacter(first17);
        var clerk = new Caller("seed-clerk", "clerk");
        var enterprise = await App.SendAsync(new RegisterEnterprise(uscc, $"示例精密机械{serial}有限公司", county, "制造业",
            new BankAccount("中国工商银行", $"示例精密机械{serial}有限公司", $"11030201{serial:D11}"), "", default), clerk);
        var province = county[..2] + "0000";
        var designation = await App.SendAsync(new RecognizeDesignation(enterprise, "provincial-srdi", new RecognisingAuthority(province, Reference.FindDivision(province)!.Name),
            $"省工信〔2022〕{serial}号", new LocalDate(2022, 1, 20), null, null, null, "", default, new HistoricalImport("api-tests")), clerk);
        return (uscc, (await App.Awards.AccountsAsync("designation_id = $1", CancellationToken.None, designation)).Single().Award.Id);
    }

    public async Task<string> TokenAsync(string name, string role, string division = "320205") =>
        (await new ApiUsers(Database.App, Reference, Clock).AddAsync(name, role, division, 30)).Token;

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? token, object? body = null, string? key = null, string? rawBody = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
            request.Content = new StringContent(rawBody ?? (body is null ? "" : JsonSerializer.Serialize(body, JsonSerializerOptions.Web)), Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json") ?? false)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response.StatusCode, json, response);
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, string? token, object? body = null, string? key = null) =>
        SendAsync(HttpMethod.Post, path, token, body, key);

    public async Task<long> CountAsync(string sql)
    {
        await using var command = Database.Owner.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
