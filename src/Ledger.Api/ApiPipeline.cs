using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.EventStore.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;

namespace Ledger.Api;

/// <summary>The JSON of the API: camelCase, dates yyyy-MM-dd, instants ISO-8601 with Z; requests refuse unknown and missing fields.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Output { get; } = Create(requests: false);

    public static JsonSerializerOptions Input { get; } = Create(requests: true);

    private static JsonSerializerOptions Create(bool requests)
    {
        var options = LedgerJson.CreateMutable();
        if (requests)
        {
            options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.RespectRequiredConstructorParameters = true;
            options.RespectNullableAnnotations = true;
        }
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Which roles may call an endpoint (docs/decisions.md, HTTP); an endpoint without it needs no token.</summary>
public sealed record AllowedRoles(IReadOnlyList<string> Roles);

/// <summary>What a command endpoint answers: its status, its body and, where the client may send If-Match next, the version.</summary>
public sealed record Answer(int Status, object Body, long? Version = null)
{
    /// <summary>The command's own transaction stored this answer under the Idempotency-Key (<see cref="CommandAnswers"/>).</summary>
    public bool Stored { get; init; }
}

/// <summary>
/// The request pipeline: every failure as a problem document, bearer tokens to users, roles per endpoint (401 without
/// a valid token, 403 for a role the endpoint does not allow), and for every POST the Idempotency-Key: the same key and
/// body answer the first status and body again, another body under the key is 422, a key whose first request is still
/// running is 409.
/// </summary>
public static class ApiPipeline
{
    public const string UserItem = "ledger.user";

    private const string BodyItem = "ledger.body";

    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Turns any exception into a problem document (500 only for what is not the request's fault, logged).</summary>
    public static async Task Problems(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            var problem = ApiProblems.From(e);
            if (problem.Status >= 500)
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Ledger.Api").LogError(e, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
            }
            await WriteAsync(http, problem);
            return;
        }
        // Routing's own answers (no route, a route constraint such as {id:guid} not met, another method) come without a body.
        if (!http.Response.HasStarted && http.Response.StatusCode >= 400 && http.Response.ContentType is null)
        {
            await WriteAsync(http, http.Response.StatusCode switch
            {
                404 => ApiProblems.Of(404, "not-found", $"{http.Request.Path} is not a resource of this API (see /openapi/v1.json)."),
                405 => ApiProblems.Of(405, "request.method-not-allowed", $"{http.Request.Method} is not allowed on {http.Request.Path}."),
                var status => ApiProblems.Of(status, "request.refused", $"{http.Request.Method} {http.Request.Path} was refused."),
            });
        }
    }

    public static async Task WriteAsync(HttpContext http, Problem problem)
    {
        http.Response.StatusCode = problem.Status;
        http.Response.ContentType = "application/problem+json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(problem, ApiJson.Output));
    }

    /// <summary>A query value with U+0000 is 400 (PostgreSQL cannot take it as a parameter; the path never has one: Kestrel refuses it).</summary>
    public static async Task RefuseNul(HttpContext http, RequestDelegate next)
    {
        foreach (var (name, values) in http.Request.Query)
        {
            if (values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                await WriteAsync(http, ApiProblems.Of(400, "request.invalid", $"{name}: contains the character U+0000, which the ledger does not take.", name));
                return;
            }
        }
        await next(http);
    }

    /// <summary>Authenticates the bearer token, if any; the endpoint filter decides whether the endpoint needs one.</summary>
    public static async Task Authenticate(HttpContext http, RequestDelegate next)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var user = await http.RequestServices.GetRequiredService<ApiUsers>().AuthenticateAsync(header["Bearer ".Length..].Trim(), http.RequestAborted);
            if (user is null)
            {
                await WriteAsync(http, ApiProblems.Of(401, "auth.invalid-token", "The bearer token is unknown, expired or revoked; ask an admin for a new one (ledger users add)."));
                return;
            }
            http.Items[UserItem] = user;
        }
        await next(http);
    }

    /// <summary>401 without a user, 403 when the user's role may not call the endpoint.</summary>
    public static async ValueTask<object?> Authorize(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<AllowedRoles>() is { } allowed)
        {
            if (http.Items[UserItem] is not ApiUser user)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Json(ApiProblems.Of(401, "auth.required", "This endpoint needs a bearer token (Authorization: Bearer …)."), ApiJson.Output, "application/problem+json", 401);
            }
            if (!allowed.Roles.Contains(user.Role))
            {
                return Results.Json(ApiProblems.Of(403, "auth.forbidden", $"The role {user.Role} may not call this endpoint; it is for {string.Join(", ", allowed.Roles)}."),
                    ApiJson.Output, "application/problem+json", 403);
            }
        }
        return await next(context);
    }

    public static ApiUser User(this HttpContext http) =>
        http.Items[UserItem] as ApiUser ?? throw new InvalidOperationException("an endpoint with roles ran without a user");

    /// <summary>The request body as the given type (read once by the idempotency filter).</summary>
    public static T Body<T>(this HttpContext http)
    {
        var bytes = http.Items[BodyItem] as byte[] ?? [];
        if (bytes.Length == 0)
        {
            throw new ApiException(ApiProblems.Of(400, "request.body-required", "body: a JSON object is required.", "body"));
        }
        // PostgreSQL's text and jsonb cannot hold U+0000; refused here, it is the request's fault and not a 500.
        if (bytes.AsSpan().IndexOf("\\u0000"u8) >= 0 && FieldWithNul(bytes) is { } nul)
        {
            throw new ApiException(ApiProblems.Of(400, "request.invalid", $"{nul}: contains the character U+0000, which the ledger does not store.", nul));
        }
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, ApiJson.Input)
                ?? throw new ApiException(ApiProblems.Of(400, "request.body-required", "body: a JSON object is required.", "body"));
        }
        catch (JsonException e) when (e.Path == "$" && MissingField<T>(bytes) is { } missing)
        {
            throw new ApiException(ApiProblems.Of(400, "request.field-required", $"{missing}: is required.", missing));
        }
    }

    private static string? FieldWithNul(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return Find(document.RootElement, "body");
        }
        catch (JsonException)
        {
            return null;
        }

        static string? Find(JsonElement element, string path) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString()!.Contains('\0', StringComparison.Ordinal) ? path : null,
            JsonValueKind.Object => element.EnumerateObject()
                .Select(p => p.Name.Contains('\0', StringComparison.Ordinal) ? p.Name : Find(p.Value, path == "body" ? p.Name : $"{path}.{p.Name}"))
                .FirstOrDefault(f => f is not null),
            JsonValueKind.Array => element.EnumerateArray().Select((e, i) => Find(e, $"{path}[{i}]")).FirstOrDefault(f => f is not null),
            _ => null,
        };
    }

    /// <summary>The first required field an object body lacks (the serializer says only "missing required properties" at the root).</summary>
    private static string? MissingField<T>(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var present = document.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            return ApiJson.Input.GetTypeInfo(typeof(T)).Properties
                .FirstOrDefault(p => (p.IsRequired || p.AssociatedParameter is { HasDefaultValue: false }) && !present.Contains(p.Name))?.Name;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The If-Match version the client sent, if any.</summary>
    public static long? IfMatch(this HttpContext http)
    {
        var value = http.Request.Headers.IfMatch.ToString().Trim().Trim('"');
        if (value.Length == 0)
        {
            return null;
        }
        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : throw ApiException.BadRequest("If-Match", $"'{value}' is not a stream version (a number, as the ETag of an earlier answer)");
    }

    /// <summary>The Idempotency-Key of a POST: required; a repeat gets the first answer, another body under the key 422, one in flight 409.</summary>
    public static async ValueTask<object?> Idempotent(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers["Idempotency-Key"].ToString().Trim();
        if (key.Length is 0 or > 200)
        {
            return Problem(ApiProblems.Of(400, "idempotency.key-required", "Idempotency-Key: every POST needs an idempotency key header of 1 to 200 characters (a new UUID per request; the same one to retry it).", "Idempotency-Key"));
        }
        var body = await ReadBodyAsync(http);
        http.Items[BodyItem] = body;
        var user = http.Items[UserItem] as ApiUser;
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{user?.Id}\n{http.Request.Method}\n{http.Request.Path}\n")
            .Concat(body).ToArray()));
        var store = http.RequestServices.GetRequiredService<Ledger.EventStore.EventStore>().DataSource;
        var clock = http.RequestServices.GetRequiredService<IClock>();
        if (!await ClaimAsync(store, key, fingerprint, clock.GetCurrentInstant(), http.RequestAborted))
        {
            return await ReplayAsync(store, key, fingerprint, http.RequestAborted);
        }
        int status;
        string json;
        string contentType = "application/json";
        long? version = null;
        var stored = false;
        try
        {
            var answer = (Answer)(await next(context))!;
            (status, json, version, stored) = (answer.Status, JsonSerializer.Serialize(answer.Body, answer.Body.GetType(), ApiJson.Output), answer.Version, answer.Stored);
        }
        catch (Exception e) when (ApiProblems.From(e) is { Status: < 500 } problem)
        {
            (status, json, contentType) = (problem.Status, JsonSerializer.Serialize(problem, ApiJson.Output), "application/problem+json");
        }
        catch
        {
            // Not the request's fault: the key is freed, so the client may retry it.
            await using var release = store.CreateCommand("DELETE FROM api_requests WHERE idempotency_key = $1 AND status IS NULL");
            release.Parameters.Add(new NpgsqlParameter { Value = key });
            await release.ExecuteNonQueryAsync(CancellationToken.None);
            throw;
        }
        if (!stored)
        {
            await using var complete = store.CreateCommand(
                "UPDATE api_requests SET status = $2, content_type = $3, body = $4, completed_at = $5 WHERE idempotency_key = $1");
            complete.Parameters.Add(new NpgsqlParameter { Value = key });
            complete.Parameters.Add(new NpgsqlParameter { Value = status });
            complete.Parameters.Add(new NpgsqlParameter { Value = contentType });
            complete.Parameters.Add(new NpgsqlParameter { Value = json });
            complete.Parameters.Add(new NpgsqlParameter { Value = clock.GetCurrentInstant().ToDateTimeUtc() });
            await complete.ExecuteNonQueryAsync(CancellationToken.None);
        }
        if (version is { } v)
        {
            http.Response.Headers.ETag = $"\"{v}\"";
        }
        return Results.Text(json, contentType, Encoding.UTF8, status);
    }

    /// <summary>
    /// How long an unanswered claim holds its key. A request that is still unanswered this long after its claim never
    /// finished (its process ended mid-request): the same request (same user, route and body) may then claim the key
    /// again and run. Running it again is safe because the ledger's own idempotency holds behind the key: a command that
    /// did commit is answered with its first result. Far longer than any request runs, so a running request is never
    /// overtaken.
    /// </summary>
    public static readonly Duration ClaimLease = Duration.FromMinutes(5);

    /// <summary>
    /// Claims the key for this request; false when it was claimed before and that claim still holds (answered, running,
    /// another request's, or unanswered for less than <see cref="ClaimLease"/>). The claim commits without waiting for the
    /// WAL flush: a claim a crash loses is one whose request never committed anything either, because every later commit
    /// that waits for the flush — the command's, the stored answer's — flushes the claim with it (docs/decisions.md, HTTP).
    /// </summary>
    public static async Task<bool> ClaimAsync(NpgsqlDataSource store, string key, string fingerprint, Instant at, CancellationToken cancellationToken)
    {
        // One round trip: a batch's statements run in one implicit transaction, which the setting is local to.
        await using var batch = store.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
        // Taking over an abandoned claim locks its row: of two retries at once, the second sees the first's new claim time.
        var claim = new NpgsqlBatchCommand(
            "INSERT INTO api_requests AS r (idempotency_key, fingerprint, created_at) VALUES ($1, $2, $3) " +
            "ON CONFLICT (idempotency_key) DO UPDATE SET created_at = excluded.created_at " +
            "WHERE r.status IS NULL AND r.fingerprint = excluded.fingerprint AND r.created_at < $4");
        claim.Parameters.Add(new NpgsqlParameter { Value = key });
        claim.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
        claim.Parameters.Add(new NpgsqlParameter { Value = at.ToDateTimeUtc() });
        claim.Parameters.Add(new NpgsqlParameter { Value = (at - ClaimLease).ToDateTimeUtc() });
        batch.BatchCommands.Add(claim);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return claim.RecordsAffected == 1;
    }

    private static async Task<object?> ReplayAsync(NpgsqlDataSource store, string key, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand("SELECT fingerprint, status, content_type, body FROM api_requests WHERE idempotency_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return InFlight(key);
        }
        if (reader.GetString(0) != fingerprint)
        {
            return Problem(ApiProblems.Of(422, "idempotency.key-reused", $"Idempotency-Key: key {key} was used for a different request; use a new key for a new request.", "Idempotency-Key"));
        }
        if (reader.IsDBNull(1))
        {
            return InFlight(key);
        }
        return Results.Text(reader.GetString(3), reader.GetString(2), Encoding.UTF8, reader.GetInt32(1));
    }

    private static IResult InFlight(string key) => Problem(ApiProblems.Of(409, "idempotency.in-flight",
        $"Idempotency-Key: the first request with key {key} is still being answered; retry in a moment (a request that never finished frees its key {(int)ClaimLease.TotalMinutes} minutes after it began).",
        "Idempotency-Key"));

    private static IResult Problem(Problem problem) => Results.Json(problem, ApiJson.Output, "application/problem+json", problem.Status);

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            throw new ApiException(ApiProblems.Of(413, "request.too-large", $"body: {http.Request.ContentLength} bytes is over the limit of {MaxBodyBytes} bytes.", "body"));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw new ApiException(ApiProblems.Of(413, "request.too-large", $"body: over the limit of {MaxBodyBytes} bytes.", "body"));
            }
        }
        return buffer.ToArray();
    }

    /// <summary>A GET needing one of <paramref name="roles"/>.</summary>
    public static RouteHandlerBuilder Read(this RouteGroupBuilder group, string pattern, string[] roles, Delegate handler) =>
        group.MapGet(pattern, handler).WithMetadata(new AllowedRoles(roles)).AddEndpointFilter(Authorize).ProducesProblems(400, 401, 403, 404);

    /// <summary>A POST needing one of <paramref name="roles"/>, an Idempotency-Key and (unless <typeparamref name="TBody"/> is <see cref="NoBody"/>) a JSON body.</summary>
    public static RouteHandlerBuilder Write<TBody>(this RouteGroupBuilder group, string pattern, string[] roles, Func<HttpContext, Task<Answer>> handler)
        where TBody : notnull
    {
        var builder = group.MapPost(pattern, handler).WithMetadata(new AllowedRoles(roles))
            .AddEndpointFilter(Authorize).AddEndpointFilter(Idempotent).ProducesProblems(400, 401, 403, 404, 409, 412, 413, 422);
        if (typeof(TBody) != typeof(NoBody))
        {
            builder.Accepts<TBody>("application/json");
        }
        return builder;
    }

    /// <summary>Declares the problem documents an endpoint may answer (for the OpenAPI document).</summary>
    private static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<Problem>(status, "application/problem+json");
        }
        return builder;
    }
}

/// <summary>A POST that takes no body.</summary>
public sealed record NoBody;
