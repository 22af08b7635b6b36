using Ledger.EventStore;
using Ledger.EventStore.Migrations;
using Ledger.Reference;
using Ledger.Treasury;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;

namespace Ledger.Api;

/// <summary>What <c>GET /health</c> answers: the database, the migrations, the outbox (treasury instructions waiting, dead letters).</summary>
public sealed record HealthAnswer(string Status, bool Database, int MigrationsApplied, int MigrationsShipped, long OutboxWaiting, int DeadLetters);

/// <summary>
/// The HTTP API (<c>ledger up</c> serves it): the ledger's host — Marten, Wolverine, the treasury writer — on a web
/// application, with the routes of <see cref="ApiRoutes"/>, <c>/health</c>, the OpenAPI document at
/// <c>/openapi/v1.json</c> and an API reference page at <c>/scalar</c>.
/// </summary>
public static class LedgerApi
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static WebApplication Build(LedgerDatabase database, ReferenceData reference, LedgerAppOptions options, string? urls = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(urls ?? (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } configured ? configured : DefaultUrls));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ApiPipeline.MaxBodyBytes);
        LedgerApp.Register(builder, database, reference, options);
        var answers = new CommandAnswers(options.Clock);
        builder.Services.AddSingleton(answers);
        builder.Services.ConfigureMarten(marten => marten.Listeners.Add(answers));
        builder.Services.AddSingleton(services => new ApiUsers(database.App, reference, options.Clock));
        builder.Services.AddSingleton(services => new ReadLogWriter(database.App));
        builder.Services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = ApiJson.Output.PropertyNamingPolicy;
            foreach (var converter in ApiJson.Output.Converters)
            {
                json.SerializerOptions.Converters.Add(converter);
            }
            json.SerializerOptions.Encoder = ApiJson.Output.Encoder;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi("v1", ApiDocument.Configure);

        var web = builder.Build();
        var app = LedgerApp.Of(web);
        web.Use(ApiPipeline.Problems);
        web.Use(ApiPipeline.RefuseNul);
        web.Use(ApiPipeline.Authenticate);
        web.MapOpenApi("/openapi/{documentName}.json");
        web.MapScalarApiReference("/scalar", o => o.WithTitle("SRDI award ledger API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        web.MapGet("/health", async (HttpContext http) =>
        {
            var health = await HealthAsync(app, database, http.RequestAborted);
            return Results.Json(health, ApiJson.Output, statusCode: health.Status == "ok" ? 200 : 503);
        }).WithName("health").WithSummary("Whether the ledger can serve (no token needed)").WithTags("Health")
            .Produces<HealthAnswer>().Produces<HealthAnswer>(503).Produces<Problem>(400, "application/problem+json");
        ApiRoutes.Map(web, app);
        return web;
    }

    /// <summary>The ledger on the web application (the same object <c>ledger</c>'s commands use).</summary>
    public static LedgerApp Ledger(WebApplication web) => LedgerApp.Of(web);

    private static async Task<HealthAnswer> HealthAsync(LedgerApp app, LedgerDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            // The owner writes schema_migrations; ledger_app may read it (migration 0011), on connections kept unreset.
            await using var command = database.App.CreateCommand("SELECT count(*)::int FROM schema_migrations");
            var applied = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            var shipped = Migration.Embedded().Count;
            var outbox = await TreasuryOutbox.ReadAsync(database.App, cancellationToken);
            var ok = applied == shipped && outbox.DeadLetters.Count == 0;
            return new HealthAnswer(ok ? "ok" : "degraded", true, applied, shipped, outbox.Waiting, outbox.DeadLetters.Count);
        }
        catch (Npgsql.NpgsqlException)
        {
            return new HealthAnswer("unavailable", false, 0, Migration.Embedded().Count, 0, 0);
        }
    }
}
