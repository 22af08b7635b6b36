using System.CommandLine;
using System.Globalization;
using Ledger.Disbursements;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;
using Ledger.Reports;
using NodaTime;
using NodaTime.Text;
using Npgsql;

namespace Ledger.Cli;

/// <summary>
/// The approval workflow from the command line: awards and the approval queue to read, and request → approve (or
/// reject) → pay → return, or cancel, each by a named actor through the same Wolverine handlers as everything else.
/// The actor is self-declared (default: the OS user, which is recorded beside it); every writing command takes an
/// idempotency key, generated and printed when absent, so a retry after a timeout can reuse it.
/// </summary>
internal static class WorkflowCommands
{
    private static readonly Argument<string> IdArgument = new("id") { Description = "The disbursement's id." };

    public static IEnumerable<Command> Create(TextWriter output, TextWriter error)
    {
        yield return Awards(output);
        yield return Approvals(output);
        yield return Request(output, error);
        yield return OnDisbursement(output, error, "approve", "Approve a disbursement (maker-checker: never the requester; the final approval reserves on the budget line).", "approver",
            [], (p, d, actor) => new ApproveDisbursement(d.Award, d.Id, actor, default));
        var reason = new Option<string>("--reason") { Description = "Why.", Required = true };
        yield return OnDisbursement(output, error, "reject", "Reject a disbursement before payment (its reservation is released).", "approver",
            [reason], (p, d, actor) => new RejectDisbursement(d.Award, d.Id, p.GetValue(reason)!, actor, default));
        var cancelReason = new Option<string>("--reason") { Description = "Why.", Required = true };
        yield return OnDisbursement(output, error, "cancel", "Withdraw a disbursement before payment (its reservation is released).", "clerk",
            [cancelReason], (p, d, actor) => new CancelDisbursement(d.Award, d.Id, p.GetValue(cancelReason)!, actor, default));
        var voucher = new Option<string>("--voucher") { Description = "The treasury voucher number (unique in the ledger).", Required = true };
        var valueDate = new Option<string>("--value-date") { Description = "The treasury's value date, yyyy-MM-dd (a working day).", Required = true };
        yield return OnDisbursement(output, error, "pay", "Record the treasury's payment of an approved disbursement.", "clerk",
            [voucher, valueDate], (p, d, actor) => new RecordDisbursementPayment(d.Award, d.Id, p.GetValue(voucher)!, Writing.Date(p.GetValue(valueDate)!, "--value-date"), actor, default));
        var on = new Option<string>("--on") { Description = "The day the bank returned the money, yyyy-MM-dd.", Required = true };
        var returnReason = new Option<string>("--reason") { Description = "Why the bank returned it.", Required = true };
        yield return OnDisbursement(output, error, "return", "Record that the bank returned a paid disbursement (the award can be paid again).", "clerk",
            [on, returnReason], (p, d, actor) => new RecordDisbursementReturn(d.Award, d.Id, Writing.Date(p.GetValue(on)!, "--on"), p.GetValue(returnReason)!, actor, default));
    }

    private static Command Request(TextWriter output, TextWriter error)
    {
        var award = new Option<string>("--award") { Description = "The award's id.", Required = true };
        var amount = new Option<string>("--amount") { Description = "Amount in 元, at most 2 decimals.", Required = true };
        var level = new Option<string>("--level") { Description = "Funding level the share is paid from: province, city or county.", Required = true };
        var year = new Option<int?>("--year") { Description = "Planned payment year (default: this year)." };
        var command = new Command("request", "Request a disbursement (one tranche) of an award's share at one funding level; prints its id.");
        foreach (var option in new Option[] { award, amount, level, year, Writing.ActorOption, Writing.KeyOption })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var awardId = Writing.Id(parsed.GetValue(award)!, "--award");
            var yuan = Writing.Amount(parsed.GetValue(amount)!, "--amount");
            var fundingLevel = Writing.Level(parsed.GetValue(level)!);
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                var id = await app.SendAsync(new RequestDisbursement(awardId, DisbursementIdFor(caller), yuan, fundingLevel, parsed.GetValue(year), caller.Actor, default), caller, cancellationToken);
                await output.WriteLineAsync($"Requested disbursement {id} of {yuan:0.00} 元 from the {parsed.GetValue(level)} share of award {awardId} (key {caller.IdempotencyKey}).");
                return ExitCodes.Ok;
            }, "clerk", cancellationToken);
        });
        return command;
    }

    /// <summary>A retried request under its key asks for the same disbursement id, so the retry is recognised as the same command.</summary>
    private static Guid DisbursementIdFor(Caller caller) => DeterministicGuid.Create("cli-request:" + caller.IdempotencyKey);

    private sealed record Target(Guid Id, Guid Award);

    private static Command OnDisbursement(
        TextWriter output, TextWriter error, string name, string description, string role, Option[] options, Func<ParseResult, Target, string, ILedgerCommand> build)
    {
        var command = new Command(name, description);
        command.Arguments.Add(IdArgument);
        foreach (var option in options.Append(Writing.ActorOption).Append(Writing.KeyOption))
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var id = Writing.Id(parsed.GetValue(IdArgument)!, "id");
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                var target = new Target(id, await AwardOfAsync(app, id, cancellationToken));
                var ledgerCommand = build(parsed, target, caller.Actor);
                await app.SendAsync(ledgerCommand, caller, cancellationToken);
                await output.WriteLineAsync($"{char.ToUpperInvariant(name[0])}{name[1..]}: disbursement {id} of award {target.Award}, by {caller.Actor} (key {caller.IdempotencyKey}).");
                return ExitCodes.Ok;
            }, role, cancellationToken);
        });
        return command;
    }

    private static Command Awards(TextWriter output)
    {
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "Division whose enterprises' awards are listed (default 100000).", DefaultValueFactory = _ => Jurisdictions.Nation };
        var status = new Option<string?>("--status") { Description = "determined or cancelled." };
        var command = new Command("awards", "Awards determined for the enterprises of a division's subtree, with what is paid and what is left to pay.");
        foreach (var option in new Option[] { jurisdiction, status, LedgerCli.FormatOption })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parsed, cancellationToken) =>
        {
            return await Writing.WithReadAsync(parsed, async (database, reference) =>
            {
                using var readSide = new LedgerReadSide(database, reference);
                var document = await readSide.Reports.AwardsAsync(parsed.GetValue(jurisdiction)!, parsed.GetValue(status), cancellationToken);
                await Output.WriteAsync(output, parsed.GetValue(LedgerCli.FormatOption), document, () =>
                [
                    new Output.Grid(["award", "uscc", "enterprise", "county", "tier", "trigger", "determined_on", "amount_yuan", "status", "paid_yuan", "in_progress_yuan", "left_to_pay_yuan"],
                        [.. document.Select(a => (IReadOnlyList<string?>)[a.AwardId.ToString(), a.Uscc, a.Enterprise, a.CountyCode, a.Tier, a.Trigger, a.DeterminedOn, a.AmountYuan, a.Status, a.PaidYuan, a.InProgressYuan, a.LeftToPayYuan])]),
                ]);
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static Command Approvals(TextWriter output)
    {
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "Division whose enterprises' disbursements are listed (default 100000).", DefaultValueFactory = _ => Jurisdictions.Nation };
        var command = new Command("approvals", "The approval queue: requests waiting for an approval (and approved ones waiting for payment), with who requested them and since when.");
        command.Options.Add(jurisdiction);
        command.Options.Add(LedgerCli.FormatOption);
        command.SetAction(async (parsed, cancellationToken) => await Writing.WithReadAsync(parsed, async (database, reference) =>
        {
            using var readSide = new LedgerReadSide(database, reference);
            var document = await readSide.Reports.ApprovalQueueAsync(parsed.GetValue(jurisdiction)!, cancellationToken: cancellationToken);
            await Output.WriteAsync(output, parsed.GetValue(LedgerCli.FormatOption), document, () =>
            [
                new Output.Grid(["disbursement", "uscc", "enterprise", "county", "level", "line", "amount_yuan", "status", "approvals", "waiting_for", "requester", "since"],
                    [.. document.Select(a => (IReadOnlyList<string?>)[a.DisbursementId.ToString(), a.Uscc, a.Enterprise, a.CountyCode, a.Level,
                        string.Create(CultureInfo.InvariantCulture, $"{a.DivisionCode}/{a.PlannedYear}"), a.AmountYuan, a.Status, Output.Number(a.Approvals), a.WaitingFor, a.Requester, a.Since])]),
            ]);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static async Task<Guid> AwardOfAsync(LedgerApp app, Guid disbursement, CancellationToken cancellationToken)
    {
        await using var command = app.Store.DataSource.CreateCommand("SELECT award_id FROM disbursements WHERE disbursement_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = disbursement });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid award
            ? award
            : throw new DomainException("disbursement.not-found", $"id: no disbursement {disbursement} has been requested.");
    }
}
