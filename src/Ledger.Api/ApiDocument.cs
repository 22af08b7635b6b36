using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.OpenApi;

namespace Ledger.Api;

/// <summary>
/// What the OpenAPI document at <c>/openapi/v1.json</c> says beyond what the routes declare: the bearer scheme and, per
/// operation, whether it needs a token and for which roles, the path parameters of handlers that read them from the
/// request, the Idempotency-Key header of every POST, and the tags. Checked by <c>redocly lint</c> in the API tests.
/// </summary>
public static class ApiDocument
{
    private const string Bearer = "bearer";

    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Reports"] = "Totals, reconciliation with published figures, budget execution, enterprise histories and award listings.",
        ["Disbursements"] = "The maker-checker workflow: request, approve or reject, pay, return, cancel.",
        ["Enterprises"] = "Enterprises and their designations: registration, corrections, relocations, renewals, revocations.",
        ["Awards"] = "Clawbacks of money paid on an award, and their repayments.",
        ["Administration"] = "Budgets, published figures, expiry runs and users.",
        ["Audit"] = "The event log, the hash chain's verification and the read log.",
        ["Health"] = "Whether the ledger can serve: database, migrations, treasury outbox.",
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SRDI award ledger API";
            document.Info.Version = "v1";
            document.Info.Description = "Bearer tokens from `ledger users add`; every POST needs an Idempotency-Key; amounts are strings with 2 decimals; " +
                "errors are RFC 9457 problem documents with a stable `code` and the `field` at fault.";
            // The server URL is taken from the request that asked for the document; the rules want it without a trailing slash.
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A token from `ledger users add` (or POST /api/users); it carries the user's role and division.",
            };
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<AllowedRoles>().FirstOrDefault() is { } allowed)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
                operation.Description = $"Roles: {string.Join(", ", allowed.Roles)}.";
            }
            else
            {
                // An empty requirement: no token needed.
                operation.Security = [new OpenApiSecurityRequirement()];
            }
            operation.Parameters ??= [];
            // Handlers that take the HttpContext read their route values themselves, so the pattern (with its constraints) says what they are.
            if ((metadata.OfType<IRouteDiagnosticsMetadata>().FirstOrDefault()?.Route ?? context.Description.RelativePath) is { } template)
            {
                foreach (var parameter in RoutePatternFactory.Parse(template).Parameters.Where(p => !operation.Parameters.Any(o => o.In == ParameterLocation.Path && o.Name == p.Name)))
                {
                    var guid = parameter.ParameterPolicies.Any(p => p.Content == "guid");
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = ParameterLocation.Path,
                        Required = true,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = guid ? "uuid" : null },
                    });
                }
            }
            if (string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase) && metadata.OfType<AllowedRoles>().Any())
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "Idempotency-Key",
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = "1 to 200 characters, new for each request (a UUID) and the same to retry it: a retry gets the first answer, another body under the key 422.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200 },
                });
            }
            return Task.CompletedTask;
        });
    }
}
