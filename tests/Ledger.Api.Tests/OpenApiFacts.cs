using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Ledger.Api.Tests;

/// <summary>
/// The OpenAPI document lists every route and passes a real validator: Redocly's linter, pinned in
/// tests/openapi-lint (package.json and package-lock.json; installed with <c>npm ci</c> when missing), with the rules of
/// its redocly.yaml. The API reference page is served too.
/// </summary>
public sealed class OpenApiFacts(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_document_lists_every_fixed_route_with_its_method()
    {
        var (status, document, _) = await api.GetAsync("/openapi/v1.json", token: null);

        status.ShouldBe(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");
        var expected = new (string Path, string Method)[]
        {
            ("/api/reports/totals", "get"), ("/api/reports/reconciliation", "get"), ("/api/enterprises/{uscc}/history", "get"),
            ("/api/events", "get"), ("/api/approvals", "get"), ("/api/disbursements", "post"), ("/api/disbursements/{id}/approve", "post"),
            ("/api/disbursements/{id}/reject", "post"), ("/api/disbursements/{id}/pay", "post"), ("/api/disbursements/{id}/return", "post"),
            ("/api/disbursements/{id}/cancel", "post"), ("/api/verify", "get"), ("/health", "get"),
        };
        var missing = expected.Where(e => !paths.TryGetProperty(e.Path, out var item) || !item.TryGetProperty(e.Method, out _))
            .Select(e => $"{e.Method.ToUpperInvariant()} {e.Path}").ToList();
        missing.ShouldBeEmpty();
        // Every POST says it needs the header the pipeline refuses it without.
        paths.GetProperty("/api/disbursements/{id}/pay").GetProperty("post").GetProperty("parameters").EnumerateArray()
            .Select(p => $"{p.GetProperty("in").GetString()} {p.GetProperty("name").GetString()}").ShouldBe(["path id", "header Idempotency-Key"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_api_reference_page_is_served_without_a_token()
    {
        using var response = await api.Http.GetAsync("/scalar");
        var page = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.ShouldContain("<title>SRDI award ledger API</title>");
        // The page resolves the source against the site's root (scalar.aspnetcore.js): /openapi/v1.json.
        page.ShouldContain("\"url\":\"openapi/v1.json\"");
        foreach (var script in new[] { "scalar.js", "scalar.aspnetcore.js" })
        {
            page.ShouldContain($"src=\"{script}\"");
            using var served = await api.Http.GetAsync($"/scalar/{script}");
            served.StatusCode.ShouldBe(HttpStatusCode.OK, script);
            served.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript", script);
        }
    }

    [Fact]
    public async Task The_document_passes_redocly_lint_with_no_error_and_no_warning()
    {
        var lint = Path.Combine(RepositoryRoot(), "tests", "openapi-lint");
        var cli = Path.Combine(lint, "node_modules", "@redocly", "cli", "bin", "cli.js");
        if (!File.Exists(cli))
        {
            var (npmExit, npmOutput, npmErrors) = await RunAsync("npm", ["ci", "--prefix", lint, "--no-audit", "--no-fund"], NpmTimeout);
            npmExit.ShouldBe(0, $"npm ci --prefix {lint} failed (the tests need Node.js and npm, and the npm registry):\n{npmOutput}\n{npmErrors}");
        }
        var file = Path.Combine(Path.GetTempPath(), $"ledger-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await api.Http.GetStringAsync("/openapi/v1.json"));
        try
        {
            var (exit, output, errors) = await RunAsync("node", [cli, "lint", "--config", Path.Combine(lint, "redocly.yaml"), "--format", "json", file], LintTimeout);

            output.ShouldContain("\"totals\"", customMessage: $"redocly lint gave no report (exit {exit}):\n{output}\n{errors}");
            var report = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
            var problems = report.GetProperty("problems").EnumerateArray().Select(p =>
                $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()} at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}: " +
                p.GetProperty("message").GetString()).ToList();
            problems.ShouldBeEmpty($"redocly {report.GetProperty("version").GetString()} lint of /openapi/v1.json");
            report.GetProperty("totals").GetProperty("errors").GetInt32().ShouldBe(0);
            report.GetProperty("totals").GetProperty("warnings").GetInt32().ShouldBe(0);
            exit.ShouldBe(0, errors);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The folder holding Ledger.sln, above the test's base directory.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Ledger.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"Ledger.sln was not found above {AppContext.BaseDirectory}");
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No telemetry and no look for a newer version: the linter talks to nothing.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout}");
        }
        return (process.ExitCode, await output, await errors);
    }
}
