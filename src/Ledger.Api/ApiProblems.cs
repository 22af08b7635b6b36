using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.EventStore;
using Microsoft.AspNetCore.Http;

namespace Ledger.Api;

/// <summary>An RFC 9457 problem document with the ledger's stable <see cref="Code"/> and the field at fault.</summary>
public sealed record Problem(string Type, string Title, int Status, string Detail, string Code, string? Field, IReadOnlyList<ProblemError>? Errors = null);

/// <summary>One bad row or field of a request that had several.</summary>
public sealed record ProblemError(string? Field, string Reason);

/// <summary>
/// How failures answer over HTTP (docs/decisions.md, HTTP): 400 malformed or invalid input, 404 not found (or outside the caller's
/// division), 409 a version conflict or an idempotency key still in flight, 412 an If-Match that does not match, 422 a
/// rule the domain refuses or a key reused with another body. Never a 500 for bad input.
/// </summary>
public static partial class ApiProblems
{
    public static Problem Of(int status, string code, string detail, string? field = null, IReadOnlyList<ProblemError>? errors = null) =>
        new($"https://ledger.example/problems/{code}", Title(status), status, detail, code, field, errors);

    public static Problem From(Exception exception) => exception switch
    {
        ApiException e => e.Problem,
        InputFileException e => Of(400, e.Code, e.Message, e.Errors.FirstOrDefault()?.Column,
            [.. e.Errors.Select(r => new ProblemError(r.Column, r.ToString()))]),
        IdempotencyConflictException e => Of(422, "idempotency.key-reused", e.Message, "Idempotency-Key"),
        ConcurrencyException e => Of(409, "concurrency.conflict", e.Message),
        DomainException e => Of(StatusOf(e.Code), e.Code, e.Message, FieldOf(e.Message) ?? (e.Code.StartsWith("uscc.", StringComparison.Ordinal) ? "uscc" : null)),
        BadHttpRequestException e when e.InnerException is JsonException json => Json(json),
        BadHttpRequestException e => Of(e.StatusCode, e.StatusCode == 413 ? "request.too-large" : "request.malformed", e.Message, FieldOfBinding(e.Message)),
        JsonException e => Json(e),
        _ => Of(500, "server.error", "The ledger could not answer; nothing was recorded. The error is in the server's log."),
    };

    private static Problem Json(JsonException e)
    {
        // At the root ("$": not JSON, an array, a number) the body as a whole is at fault.
        var field = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
        var detail = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"{field}: is not a field of this request (unknown fields are refused)"
            : $"{field}: {(e.Message.Contains("could not be converted", StringComparison.Ordinal) ? "has the wrong type or format (amounts are strings such as \"500000.00\", dates yyyy-MM-dd)" : "is not valid JSON")}";
        return Of(400, "request.invalid-json", detail, field);
    }

    /// <summary>A domain refusal's status: a missing thing is 404, bad input is 400, the rest are rules (422).</summary>
    public static int StatusOf(string code) =>
        code.EndsWith(".not-found", StringComparison.Ordinal) ? 404
        : code.StartsWith("money.", StringComparison.Ordinal) || code.EndsWith(".field-required", StringComparison.Ordinal)
          || code.StartsWith("request.", StringComparison.Ordinal) || code.StartsWith("report.", StringComparison.Ordinal)
          || code.StartsWith("uscc.", StringComparison.Ordinal) || code.EndsWith(".format", StringComparison.Ordinal)
          || code is "input.invalid" or "division.unknown" ? 400
        : 422;

    /// <summary>The field a domain message names: the ledger writes "field: what is wrong" or "field is required: …".</summary>
    public static string? FieldOf(string message) =>
        LeadingField().Match(message) is { Success: true } m ? BodyNames.GetValueOrDefault(m.Groups[1].Value, m.Groups[1].Value) : null;

    // Where a command names a field otherwise than the request body does.
    private static readonly Dictionary<string, string> BodyNames = new(StringComparer.Ordinal) { ["voucherNumber"] = "voucherNo" };

    private static string? FieldOfBinding(string message) => BindingField().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    private static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Request too large",
        415 => "Unsupported media type",
        422 => "Refused by a rule",
        _ => "Server error",
    };

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9_.\-]*)(?:: | is required)")]
    private static partial Regex LeadingField();

    [GeneratedRegex(@"""(?:\S+ )?([A-Za-z][A-Za-z0-9_]*)""")]
    private static partial Regex BindingField();
}

/// <summary>A request refused before it reached the domain (a bad parameter, a missing header, a scope the user lacks).</summary>
public sealed class ApiException(Problem problem) : Exception(problem.Detail)
{
    public Problem Problem { get; } = problem;

    public static ApiException BadRequest(string field, string detail) => new(ApiProblems.Of(400, "request.invalid", $"{field}: {detail}", field));

    public static ApiException NotFound(string what) => new(ApiProblems.Of(404, "not-found", $"{what} was not found (or is outside your division)."));
}
