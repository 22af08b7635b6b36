using System.Globalization;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Api;

// Request bodies. Amounts are strings with at most 2 decimals; dates yyyy-MM-dd; unknown fields are refused.
public sealed record RequestBody(Guid AwardId, string Amount, string Level, int? PlannedYear = null);
/// <param name="Approver">Ignored: the approver is the token's user. Accepted so that a client that sends one learns that.</param>
public sealed record ApproveBody(string? Note = null, string? Approver = null);
public sealed record ReasonBody(string Reason);
public sealed record PayBody(string VoucherNo, LocalDate ValueDate);
public sealed record ReturnBody(LocalDate ReturnedOn, string Reason);
public sealed record BankAccountBody(string BankName, string AccountName, string AccountNumber);
public sealed record EnterpriseBody(string Uscc, string Name, string CountyCode, string Industry, BankAccountBody? BankAccount = null);
public sealed record CorrectionBody(string Reason, string? Name = null, string? Industry = null, BankAccountBody? BankAccount = null);
public sealed record RelocationBody(string ToCountyCode, LocalDate On, string RegistryReference);
public sealed record RecognitionBody(string Tier, string Authority, string DocumentNo, LocalDate RecognizedOn, LocalDate? ValidTo = null);
public sealed record RenewalBody(string Outcome, LocalDate DecidedOn, string Reviewer, LocalDate? ValidTo = null, string? Note = null);
public sealed record RevocationBody(LocalDate RevokedOn, string Reason, bool Clawback = false);
public sealed record ClawbackBody(string Level, string Amount, string Reason);
public sealed record RepaymentBody(string Amount, LocalDate ValueDate, string VoucherNo);
public sealed record BudgetBody(string DivisionCode, int Year, string Level, string Amount);
public sealed record AdjustmentBody(string DivisionCode, int Year, string Level, string Delta, string Reason);
public sealed record ExpiryBody(LocalDate AsOf);
public sealed record FigureBody(string JurisdictionCode, int Year, string Measure, string Basis, string Value, string Source, string? Unit = null, bool AtLeast = false, string? Quote = null, string? Reason = null);
public sealed record UserBody(string Name, string Role, string Division, int Days = 90);

// Answers.
public sealed record CreatedAnswer(Guid Id);
public sealed record DisbursementAnswer(Guid Id, Guid AwardId, string Status, long Version);
public sealed record CountAnswer(int Count);
public sealed record TokenAnswer(Guid Id, string Name, string Role, string Division, string ExpiresAt, string Token);
public sealed record VerifyAnswer(bool Ok, long EventsChecked, long HeadPosition, long HeadSeq, string HeadHash, string? HeadChainedAt, long? BrokenSeq, long? BrokenPosition, string? Reason);
public sealed record ReadLogEntry(long Id, string ReadAt, string User, string Role, string Resource, string Detail);

/// <summary>
/// The routes: thin, each the command or report the command line has, over the same handlers and read models. Roles
/// per docs/decisions.md (HTTP): clerk — enterprises, renewals, requests, payments, returns, repayments; approver — approve and
/// reject; admin — policies' budgets, published figures, expiry runs, revocations and clawbacks, users; auditor and
/// bureau-head — reads, the event log among them (auditors also verify and the read log).
/// </summary>
public static class ApiRoutes
{
    private static readonly string[] Clerk = ["clerk"];
    private static readonly string[] Approver = ["approver"];
    private static readonly string[] Admin = ["admin"];
    private static readonly string[] Readers = ["bureau-head", "auditor", "admin"];
    private static readonly string[] Staff = ["clerk", "approver", "auditor", "bureau-head", "admin"];
    private static readonly string[] Audit = ["auditor", "admin"];

    public static void Map(WebApplication web, LedgerApp app)
    {
        var scope = new ApiScope(app);
        var api = web.MapGroup("/api");
        MapReports(api, app, scope);
        MapDisbursements(api, app, scope, web.Services.GetRequiredService<CommandAnswers>());
        MapStaff(api, app, scope);
        MapAudit(api, app, scope);
    }

    private static void MapReports(RouteGroupBuilder api, LedgerApp app, ApiScope scope)
    {
        api.Read("/reports/totals", Readers, async (HttpContext http, [FromQuery] int year, [FromQuery] string? jurisdiction, [FromQuery] string? issuer,
                [FromQuery] string? by, [FromQuery] string? basis, [FromQuery] string? asOf) =>
            ReportDocuments.Of(await app.Reports.TotalsAsync(new TotalsQuery(Year(year), scope.Jurisdiction(http.User(), jurisdiction), scope.Issuer(issuer),
                Choice("by", by ?? "county", TotalsBys), Choice("basis", basis ?? "paid", TotalsBases), AsOf(asOf)), http.RequestAborted)))
            .WithName("totals").WithSummary("Reward totals of a year for a jurisdiction, by county, tier, funding source or issuer").WithTags("Reports").Produces<TotalsDocument>();

        api.Read("/reports/reconciliation", Readers, async (HttpContext http, [FromQuery] int year, [FromQuery] string jurisdiction, [FromQuery] string? published,
                [FromQuery] string? basis, [FromQuery] string? measure, [FromQuery] string? issuer, [FromQuery] string? asOf) =>
            ReportDocuments.Of(await app.Reports.ReconcileAsync(new ReconcileQuery(scope.Jurisdiction(http.User(), jurisdiction), Year(year),
                Choice("basis", basis ?? "paid", FigureBases), measure, scope.Issuer(issuer),
                published is null ? null : Amount(published, "published"), AsOf(asOf)), http.RequestAborted)))
            .WithName("reconciliation").WithSummary("A year's ledger figure against the published figure, with the variance").WithTags("Reports").Produces<ReconciliationDocument>();

        api.Read("/reports/budget", Readers, async (HttpContext http, [FromQuery] int year, [FromQuery] string? jurisdiction, [FromQuery] string? asOf) =>
            ReportDocuments.Of(await app.Reports.BudgetExecutionAsync(scope.Jurisdiction(http.User(), jurisdiction), Year(year), AsOf(asOf), http.RequestAborted)))
            .WithName("budget").WithSummary("Budget execution of a year per line: appropriated, adjusted, reserved, paid, returned, repaid and available").WithTags("Reports");

        api.Read("/enterprises/{uscc}/history", Staff, async (HttpContext http, string uscc, [FromQuery] string? asOf) =>
        {
            var code = ApiScope.ParseUscc(uscc);
            var history = await app.Reports.HistoryWithinAsync(code.Value, http.User().DivisionCode, AsOf(asOf), http.RequestAborted)
                ?? throw ApiException.NotFound($"enterprise {code.Value}");
            await ReadLog.RecordAsync(app, http.User(), "enterprise-history", $"{code.Value}{(asOf is null ? "" : " as of " + asOf)}", http.RequestAborted);
            return ReportDocuments.Of(history);
        }).WithName("history").WithSummary("An enterprise's whole history (recorded in the read log)").WithTags("Reports");

        api.Read("/awards", Staff, async (HttpContext http, [FromQuery] string? jurisdiction, [FromQuery] string? status) =>
            await app.Reports.AwardsAsync(scope.Jurisdiction(http.User(), jurisdiction), status, http.RequestAborted))
            .WithName("awards").WithSummary("Awards in a jurisdiction, optionally of one status").WithTags("Reports").Produces<IReadOnlyList<AwardListing>>();

        api.Read("/approvals", Approver, async (HttpContext http) =>
            await app.Reports.ApprovalQueueAsync(http.User().DivisionCode, http.User().Name, http.RequestAborted))
            .WithName("approvals").WithSummary("Disbursement requests the caller may approve").WithTags("Disbursements").Produces<IReadOnlyList<ApprovalListing>>();
    }

    private static void MapDisbursements(RouteGroupBuilder api, LedgerApp app, ApiScope scope, CommandAnswers answers)
    {
        api.Write<RequestBody>("/disbursements", Clerk, async http =>
        {
            var body = http.Body<RequestBody>();
            var user = http.User();
            var award = await scope.AwardAsync(user, body.AwardId, http.RequestAborted);
            await scope.CheckVersionAsync(http.IfMatch(), award, http.RequestAborted);
            var key = Key(http);
            var id = DeterministicGuid.Create("http-request:" + key);
            var command = new RequestDisbursement(award, id, Amount(body.Amount, "amount"), Level(body.Level),
                body.PlannedYear is { } planned ? Year(planned, "plannedYear") : null, user.Name, default);
            return await AnsweredAsync(http, app, answers, award, id, 201, command);
        }).WithName("request").WithSummary("Request a disbursement of an award's share").WithTags("Disbursements").Produces<DisbursementAnswer>(201);

        api.Write<ApproveBody>("/disbursements/{id:guid}/approve", Approver, async http =>
        {
            if (http.Request.ContentLength is > 0)
            {
                _ = http.Body<ApproveBody>();
            }
            return await OnDisbursementAsync(http, app, scope, answers, (award, id, user) => new ApproveDisbursement(award, id, user, default));
        }).WithName("approve").WithSummary("Approve a disbursement request (not the requester's own)").WithTags("Disbursements").Produces<DisbursementAnswer>();

        api.Write<ReasonBody>("/disbursements/{id:guid}/reject", Approver, http =>
            OnDisbursementAsync(http, app, scope, answers, (award, id, user) => new RejectDisbursement(award, id, http.Body<ReasonBody>().Reason, user, default)))
            .WithName("reject").WithSummary("Reject a disbursement request, with a reason").WithTags("Disbursements").Produces<DisbursementAnswer>();

        api.Write<ReasonBody>("/disbursements/{id:guid}/cancel", Clerk, http =>
            OnDisbursementAsync(http, app, scope, answers, (award, id, user) => new CancelDisbursement(award, id, http.Body<ReasonBody>().Reason, user, default)))
            .WithName("cancel").WithSummary("Cancel a disbursement request, with a reason").WithTags("Disbursements").Produces<DisbursementAnswer>();

        api.Write<PayBody>("/disbursements/{id:guid}/pay", Clerk, http =>
            OnDisbursementAsync(http, app, scope, answers, (award, id, user) =>
            {
                var body = http.Body<PayBody>();
                return new RecordDisbursementPayment(award, id, body.VoucherNo, body.ValueDate, user, default);
            })).WithName("pay").WithSummary("Record the treasury payment of an approved disbursement").WithTags("Disbursements").Produces<DisbursementAnswer>();

        api.Write<ReturnBody>("/disbursements/{id:guid}/return", Clerk, http =>
            OnDisbursementAsync(http, app, scope, answers, (award, id, user) =>
            {
                var body = http.Body<ReturnBody>();
                return new RecordDisbursementReturn(award, id, body.ReturnedOn, body.Reason, user, default);
            })).WithName("return").WithSummary("Record a bank return of a paid disbursement").WithTags("Disbursements").Produces<DisbursementAnswer>();
    }

    private static void MapStaff(RouteGroupBuilder api, LedgerApp app, ApiScope scope)
    {
        api.Write<EnterpriseBody>("/enterprises", Clerk, async http =>
        {
            var body = http.Body<EnterpriseBody>();
            scope.Division(http.User(), "countyCode", body.CountyCode);
            var id = await app.SendAsync(new RegisterEnterprise(body.Uscc, body.Name, body.CountyCode, body.Industry, Account(body.BankAccount), "", default),
                Caller(http), http.RequestAborted);
            return new Answer(201, new CreatedAnswer(id));
        }).WithName("register-enterprise").WithSummary("Register an enterprise in a county").WithTags("Enterprises").Produces<CreatedAnswer>(201);

        api.Write<CorrectionBody>("/enterprises/{uscc}/corrections", Clerk, async http =>
        {
            var body = http.Body<CorrectionBody>();
            var enterprise = await scope.EnterpriseAsync(http.User(), Route(http, "uscc"), http.RequestAborted);
            await app.SendAsync(new CorrectEnterpriseDetails(enterprise.Id, body.Name, null, body.Industry, Account(body.BankAccount), body.Reason, "", default),
                Caller(http), http.RequestAborted);
            return new Answer(200, new CreatedAnswer(enterprise.Id));
        }).WithName("correct-enterprise").WithSummary("Correct an enterprise's name, industry or bank account").WithTags("Enterprises");

        api.Write<RelocationBody>("/enterprises/{uscc}/relocations", Clerk, async http =>
        {
            var body = http.Body<RelocationBody>();
            var enterprise = await scope.EnterpriseAsync(http.User(), Route(http, "uscc"), http.RequestAborted);
            await app.SendAsync(new RelocateEnterprise(enterprise.Id, body.ToCountyCode, body.On, body.RegistryReference, null, "", default), Caller(http), http.RequestAborted);
            return new Answer(200, new CreatedAnswer(enterprise.Id));
        }).WithName("relocate-enterprise").WithSummary("Record an enterprise's move to another county").WithTags("Enterprises");

        api.Write<RecognitionBody>("/enterprises/{uscc}/recognitions", Clerk, async http =>
        {
            // A recognition the authority made on paper, recorded afterwards (as an import row is): the ledger saw no
            // declaration or review, and records that on the event as a skipped rule of the user's batch.
            var body = http.Body<RecognitionBody>();
            var enterprise = await scope.EnterpriseAsync(http.User(), Route(http, "uscc"), http.RequestAborted);
            var authority = app.Reference.FindDivision(body.Authority) is { } division
                ? new RecognisingAuthority(division.Code, division.Name)
                : app.Reference.Authorities.Find(body.Authority) is { } name
                    ? new RecognisingAuthority(name.DivisionCode, name.Name)
                    : throw ApiException.BadRequest("authority", $"'{body.Authority}' is neither a division code nor an authority the ledger knows");
            var id = await app.SendAsync(new RecognizeDesignation(enterprise.Id, body.Tier, authority, body.DocumentNo, body.RecognizedOn, null, body.ValidTo, null, "", default,
                new Imports.HistoricalImport($"http-{http.User().Name}-{body.RecognizedOn:uuuu-MM-dd}")), Caller(http), http.RequestAborted);
            return new Answer(201, new CreatedAnswer(id));
        }).WithName("recognition").WithSummary("Record a recognition made on paper (no declaration or review in the ledger; recorded as skipped rules), which determines its awards").WithTags("Enterprises").Produces<CreatedAnswer>(201);

        api.Write<RenewalBody>("/designations/{id:guid}/renewals", Clerk, async http =>
        {
            var body = http.Body<RenewalBody>();
            var designation = await scope.DesignationAsync(http.User(), RouteId(http), http.RequestAborted);
            var outcome = Choice("outcome", body.Outcome, new Dictionary<string, RenewalOutcome> { ["passed"] = RenewalOutcome.Passed, ["failed"] = RenewalOutcome.Failed });
            await app.SendAsync(new ReviewRenewal(designation.Id, outcome, body.DecidedOn, body.ValidTo, body.Reviewer, body.Note, "", default), Caller(http), http.RequestAborted);
            return new Answer(200, new CreatedAnswer(designation.Id));
        }).WithName("renewal").WithSummary("Record the outcome of a designation's renewal review").WithTags("Enterprises");

        api.Write<RevocationBody>("/designations/{id:guid}/revocations", Admin, async http =>
        {
            var body = http.Body<RevocationBody>();
            var designation = await scope.DesignationAsync(http.User(), RouteId(http), http.RequestAborted);
            await app.SendAsync(new RevokeDesignation(designation.Id, body.Reason, body.RevokedOn, body.Clawback, "", default), Caller(http), http.RequestAborted);
            return new Answer(200, new CreatedAnswer(designation.Id));
        }).WithName("revoke").WithSummary("Revoke a designation, optionally demanding its awards back").WithTags("Enterprises");

        api.Write<ClawbackBody>("/awards/{id:guid}/clawbacks", Admin, async http =>
        {
            var body = http.Body<ClawbackBody>();
            var award = await scope.AwardAsync(http.User(), RouteId(http), http.RequestAborted);
            var clawback = DeterministicGuid.Create("http-clawback:" + Key(http));
            await app.SendAsync(new DemandClawback(award, clawback, Level(body.Level), Amount(body.Amount, "amount"), body.Reason, "", default),
                Caller(http), http.RequestAborted);
            return new Answer(201, new CreatedAnswer(clawback));
        }).WithName("clawback").WithSummary("Demand money paid on an award back").WithTags("Awards").Produces<CreatedAnswer>(201);

        api.Write<RepaymentBody>("/awards/{id:guid}/clawbacks/{clawbackId:guid}/repayments", Clerk, async http =>
        {
            var body = http.Body<RepaymentBody>();
            var award = await scope.AwardAsync(http.User(), RouteId(http), http.RequestAborted);
            var clawback = Guid.Parse(Route(http, "clawbackId"), CultureInfo.InvariantCulture);
            await app.SendAsync(new RecordClawbackRepayment(award, clawback, Amount(body.Amount, "amount"), body.ValueDate, body.VoucherNo, "", default),
                Caller(http), http.RequestAborted);
            return new Answer(200, new CreatedAnswer(clawback));
        }).WithName("repay").WithSummary("Record a repayment of a clawback").WithTags("Awards");

        api.Write<BudgetBody>("/budgets", Admin, async http =>
        {
            var body = http.Body<BudgetBody>();
            var line = Line(scope, http.User(), body.DivisionCode, body.Year, body.Level);
            await app.SendAsync(new AppropriateBudget(line, Amount(body.Amount, "amount"), "", default), Caller(http), http.RequestAborted);
            return new Answer(201, new CreatedAnswer(BudgetLineKey.StreamId(line)));
        }).WithName("appropriate").WithSummary("Appropriate a budget line (division, year, level)").WithTags("Administration").Produces<CreatedAnswer>(201);

        api.Write<AdjustmentBody>("/budgets/adjustments", Admin, async http =>
        {
            var body = http.Body<AdjustmentBody>();
            var line = Line(scope, http.User(), body.DivisionCode, body.Year, body.Level);
            await app.SendAsync(new AdjustBudget(line, Amount(body.Delta, "delta"), body.Reason, "", default), Caller(http), http.RequestAborted);
            return new Answer(200, new CreatedAnswer(BudgetLineKey.StreamId(line)));
        }).WithName("adjust").WithSummary("Adjust a budget line by a delta, with a reason").WithTags("Administration");

        api.Write<ExpiryBody>("/expiry", Admin, async http =>
        {
            var body = http.Body<ExpiryBody>();
            var expired = await app.SendAsync(new ExpireDesignations(body.AsOf, "", default), Caller(http), http.RequestAborted);
            return new Answer(200, new CountAnswer(expired));
        }).WithName("expire").WithSummary("Expire every designation whose validity ended before a date").WithTags("Administration");

        api.Write<FigureBody>("/published-figures", Admin, async http =>
        {
            var figure = Figure(scope, http.User(), http.Body<FigureBody>(), out var body);
            if (body.Reason is { } reason)
            {
                await app.SendAsync(new RevisePublishedFigure(figure, reason, "", default), Caller(http), http.RequestAborted);
                return new Answer(200, new CountAnswer(1));
            }
            return new Answer(201, new CountAnswer(await app.SendAsync(new RecordPublishedFigures([figure], "", default), Caller(http), http.RequestAborted)));
        }).WithName("published-figure").WithSummary("Record or revise a published figure").WithTags("Administration");

        api.Write<UserBody>("/users", Admin, async http =>
        {
            var body = http.Body<UserBody>();
            var (user, token) = await http.RequestServices.GetRequiredService<ApiUsers>().AddAsync(body.Name, body.Role, body.Division, body.Days, http.RequestAborted);
            return new Answer(201, new TokenAnswer(user.Id, user.Name, user.Role, user.DivisionCode, InstantPattern.ExtendedIso.Format(user.ExpiresAt), token));
        }).WithName("add-user").WithSummary("Add a user and issue their bearer token (shown once)").WithTags("Administration").Produces<TokenAnswer>(201);

        api.Write<NoBody>("/users/{name}/revoke", Admin, async http =>
        {
            var name = Route(http, "name");
            return await http.RequestServices.GetRequiredService<ApiUsers>().RevokeAsync(name, http.RequestAborted)
                ? new Answer(200, new CountAnswer(1))
                : throw ApiException.NotFound($"user {name} with an active token");
        }).WithName("revoke-user").WithSummary("Revoke a user's active token").WithTags("Administration");
    }

    private static void MapAudit(RouteGroupBuilder api, LedgerApp app, ApiScope scope)
    {
        api.Read("/events", Readers, async (HttpContext http, [FromQuery] long? from, [FromQuery] int? limit, [FromQuery] Guid? stream, [FromQuery] string[]? type,
            [FromQuery] string? since, [FromQuery] string? until) =>
        {
            var user = http.User();
            var count = limit ?? 100;
            if (count is < 1 or > 1000)
            {
                throw ApiException.BadRequest("limit", $"{count} is not between 1 and 1000");
            }
            if (from is < 1)
            {
                throw ApiException.BadRequest("from", $"{from} is not a chain position (1 or more)");
            }
            var query = new EventListQuery(from ?? 1, stream, type is { Length: > 0 } ? type : null, Instant("since", since), Instant("until", until), count,
                user.DivisionCode == Jurisdictions.Nation ? null : Subtree.Of(app.Reference, user.DivisionCode));
            var document = EventsDocument.Of(query, await app.Store.ListEventsAsync(query, http.RequestAborted));
            await ReadLog.RecordAsync(app, user, "events", string.Create(CultureInfo.InvariantCulture,
                $"from {query.FromPosition}, limit {count}{(stream is { } s ? $", stream {s}" : "")}{(type is { Length: > 0 } ? ", type " + string.Join(',', type) : "")}: {document.Events.Count} event(s)"),
                http.RequestAborted);
            return document;
        }).WithName("events").WithSummary("A page of the event log in chain order (recorded in the read log)").WithTags("Audit").Produces<EventsDocument>();

        api.Read("/verify", Audit, async (HttpContext http) =>
        {
            var result = await app.Store.VerifyAsync(cancellationToken: http.RequestAborted);
            return new VerifyAnswer(result.Ok, result.EventsChecked, result.Head.Position, result.Head.Seq, result.Head.HashHex,
                result.Head.ChainedAt is { } at ? InstantPattern.ExtendedIso.Format(at) : null, result.BrokenSeq, result.BrokenPosition, result.Reason);
        }).WithName("verify").WithSummary("Verify the hash chain over every event").WithTags("Audit").Produces<VerifyAnswer>();

        api.Read("/read-log", Audit, async (HttpContext http, [FromQuery] long? from, [FromQuery] int? limit) =>
            await ReadLog.ListAsync(app, from is < 1 ? throw ApiException.BadRequest("from", $"{from} is not an entry id (1 or more)") : from ?? 1,
                limit is < 1 or > 1000 ? throw ApiException.BadRequest("limit", $"{limit} is not between 1 and 1000") : limit ?? 100, http.RequestAborted))
            .WithName("read-log").WithSummary("Who read which history or event page, and when").WithTags("Audit").Produces<IReadOnlyList<ReadLogEntry>>();
    }

    private static async Task<Answer> OnDisbursementAsync(HttpContext http, LedgerApp app, ApiScope scope, CommandAnswers answers, Func<Guid, Guid, string, ILedgerCommand> command)
    {
        var user = http.User();
        var id = RouteId(http);
        var award = await scope.DisbursementAwardAsync(user, id, http.RequestAborted);
        await scope.CheckVersionAsync(http.IfMatch(), award, http.RequestAborted);
        return await AnsweredAsync(http, app, answers, award, id, 200, command(award, id, user.Name));
    }

    /// <summary>
    /// Sends a disbursement command whose answer its own transaction stores (<see cref="CommandAnswers"/>); only a command
    /// that committed nothing (the ledger replayed its key) is answered from the read tables afterwards.
    /// </summary>
    private static async Task<Answer> AnsweredAsync(HttpContext http, LedgerApp app, CommandAnswers answers, Guid award, Guid id, int status, ILedgerCommand command)
    {
        var caller = Caller(http);
        using (var expected = answers.Expect(Key(http), caller.IdempotencyKey!, award, id, status))
        {
            await app.SendAsync(command, caller, http.RequestAborted);
            if (expected.Answer.Committed is { } stored)
            {
                return new Answer(status, stored, stored.Version) { Stored = true };
            }
        }
        return await DisbursementAnswerAsync(app, award, id, status, http.RequestAborted);
    }

    private static async Task<Answer> DisbursementAnswerAsync(LedgerApp app, Guid award, Guid id, int status, CancellationToken cancellationToken)
    {
        // The read row and the stream's version, in one query: both were written in the command's transaction.
        await using var command = app.Store.DataSource.CreateCommand(
            "SELECT d.status, s.version FROM disbursements d JOIN mt_streams s ON s.id = d.award_id WHERE d.disbursement_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var version = reader.GetInt64(1);
        return new Answer(status, new DisbursementAnswer(id, award, reader.GetString(0), version), version);
    }

    /// <summary>The caller of a command: the token's user and role, the request's idempotency key; the time is the server's.</summary>
    private static Caller Caller(HttpContext http) => new(http.User().Name, http.User().Role, "http:" + Key(http));

    private static string Key(HttpContext http) => http.Request.Headers["Idempotency-Key"].ToString().Trim();

    private static string Route(HttpContext http, string name) => http.Request.RouteValues[name]?.ToString() ?? "";

    private static Guid RouteId(HttpContext http) => Guid.Parse(Route(http, "id"), CultureInfo.InvariantCulture);

    /// <summary>
    /// An amount of a request: at most 2 decimals and at most <see cref="MaxAmount"/> either way, so sums over the
    /// ledger's lines stay far from decimal's limit (an appropriation near it would make every later total overflow).
    /// </summary>
    private static decimal Amount(string text, string field)
    {
        var amount = Money.Parse(text, field).Yuan;
        return Math.Abs(amount) <= MaxAmount ? amount : throw ApiException.BadRequest(field, $"{text} is more than {MaxAmount:N2} 元 either way");
    }

    /// <summary>Ten trillion 元 less a fen: more than any budget line, award or published figure can be.</summary>
    private const decimal MaxAmount = 9_999_999_999_999.99m;

    private static int Year(int year, string field = "year") => year is >= 1990 and <= 2100 ? year : throw ApiException.BadRequest(field, $"{year} is not a year (1990–2100)");

    private static Instant? AsOf(string? text) => Instant("asOf", text);

    private static Instant? Instant(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }
        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text);
        return parsed.Success ? parsed.Value.ToInstant() : throw ApiException.BadRequest(field, $"'{text}' is not an ISO-8601 instant with Z or an offset (2023-01-01T00:00:00Z)");
    }

    private static FundingLevel Level(string text) => Choice("level", text, Levels);

    private static BudgetLineKey Line(ApiScope scope, ApiUser user, string division, int year, string level) =>
        new(scope.Division(user, "divisionCode", division), Year(year), Level(level));

    private static BankAccount? Account(BankAccountBody? body) => body is null ? null : new BankAccount(body.BankName, body.AccountName, body.AccountNumber);

    private static FigureInput Figure(ApiScope scope, ApiUser user, FigureBody body, out FigureBody same)
    {
        same = body;
        scope.Division(user, "jurisdictionCode", body.JurisdictionCode);
        var basis = Choice("basis", body.Basis, FigureBases);
        var value = decimal.TryParse(body.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && decimal.Round(v, 2) == v && v <= MaxAmount
            ? v
            : throw ApiException.BadRequest("value", $"'{body.Value}' is not a number with at most 2 decimals");
        var unit = body.Unit ?? (basis == FigureBasis.Stock ? "enterprises" : "yuan");
        return new FigureInput(body.JurisdictionCode, Year(body.Year), body.Measure, basis, value, unit, body.AtLeast, body.Source, body.Quote ?? "");
    }

    private static T Choice<T>(string field, string text, IReadOnlyDictionary<string, T> values) =>
        values.TryGetValue(text, out var value) ? value : throw ApiException.BadRequest(field, $"'{text}' is not one of {string.Join(", ", values.Keys)}");

    private static readonly Dictionary<string, FundingLevel> Levels = new()
    {
        ["province"] = FundingLevel.Province,
        ["city"] = FundingLevel.City,
        ["county"] = FundingLevel.County,
    };

    private static readonly Dictionary<string, TotalsBy> TotalsBys = new()
    {
        ["county"] = TotalsBy.County,
        ["tier"] = TotalsBy.Tier,
        ["source"] = TotalsBy.Source,
        ["issuer"] = TotalsBy.Issuer,
    };

    private static readonly Dictionary<string, TotalsBasis> TotalsBases = new() { ["paid"] = TotalsBasis.Paid, ["determined"] = TotalsBasis.Determined };

    private static readonly Dictionary<string, FigureBasis> FigureBases = new()
    {
        ["paid"] = FigureBasis.Paid,
        ["determined"] = FigureBasis.Determined,
        ["paid_cumulative"] = FigureBasis.PaidCumulative,
        ["stock"] = FigureBasis.Stock,
    };
}
