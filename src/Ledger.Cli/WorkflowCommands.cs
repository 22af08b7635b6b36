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
            var wanted = parsed.GetValue(status);
            if (wanted is not (null or "determined" or "cancelled"))
            {
                throw new DomainException("cli.status", $"--status: '{wanted}' is neither determined nor cancelled.");
            }
            return await Writing.WithReadAsync(parsed, async (database, reference) =>
            {
                var counties = Writing.Subtree(reference, parsed.GetValue(jurisdiction)!);
                var rows = await QueryAsync(database,
                    "SELECT a.award_id, coalesce(e.uscc, ''), coalesce(e.name, ''), a.county_code, a.tier, a.trigger, a.determination_date, a.amount, a.status, a.issuer_code, " +
                    "coalesce((SELECT sum(d.amount) FROM disbursements d WHERE d.award_id = a.award_id AND d.status = 'paid'), 0), " +
                    "coalesce((SELECT sum(d.amount) FROM disbursements d WHERE d.award_id = a.award_id AND d.status IN ('requested', 'approved')), 0) " +
                    "FROM awards a LEFT JOIN enterprises e ON e.enterprise_id = a.enterprise_id WHERE a.county_code = ANY($1) AND ($2::text IS NULL OR a.status = $2) " +
                    "ORDER BY a.county_code, a.determination_date, e.uscc",
                    cancellationToken, counties, (object?)wanted ?? DBNull.Value);
                var document = rows.Select(r => new AwardDocument((Guid)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!,
                    ReportDocuments.Date(LocalDate.FromDateOnly((DateOnly)r[6]!)), ReportDocuments.Yuan((decimal)r[7]!), (string)r[8]!, (string)r[9]!,
                    ReportDocuments.Yuan((decimal)r[10]!), ReportDocuments.Yuan((decimal)r[11]!),
                    ReportDocuments.Yuan((string)r[8]! == "cancelled" ? 0m : (decimal)r[7]! - (decimal)r[10]!))).ToList();
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

    private sealed record AwardDocument(
        Guid AwardId, string Uscc, string Enterprise, string CountyCode, string Tier, string Trigger, string DeterminedOn, string AmountYuan, string Status,
        string IssuerCode, string PaidYuan, string InProgressYuan, string LeftToPayYuan);

    private sealed record ApprovalDocument(
        Guid DisbursementId, Guid AwardId, string Uscc, string Enterprise, string CountyCode, string Level, string DivisionCode, int PlannedYear,
        string AmountYuan, string Status, int Approvals, string WaitingFor, string Requester, string Since);

    private static Command Approvals(TextWriter output)
    {
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "Division whose enterprises' disbursements are listed (default 100000).", DefaultValueFactory = _ => Jurisdictions.Nation };
        var command = new Command("approvals", "The approval queue: requests waiting for an approval (and approved ones waiting for payment), with who requested them and since when.");
        command.Options.Add(jurisdiction);
        command.Options.Add(LedgerCli.FormatOption);
        command.SetAction(async (parsed, cancellationToken) => await Writing.WithReadAsync(parsed, async (database, reference) =>
        {
            var counties = Writing.Subtree(reference, parsed.GetValue(jurisdiction)!);
            var rows = await QueryAsync(database,
                "SELECT d.disbursement_id, d.award_id, coalesce(en.uscc, ''), coalesce(en.name, ''), d.county_code, d.level, d.division_code, d.planned_year, d.amount, " +
                "d.status, d.approvals, coalesce(e.user_name, ''), c.chained_at, " +
                "(SELECT (h.data->>'approvalsRequired')::int FROM mt_events h WHERE h.stream_id = d.award_id AND h.type = 'disbursement-approved' " +
                " AND h.data->>'disbursementId' = d.disbursement_id::text ORDER BY h.version DESC LIMIT 1) " +
                "FROM disbursements d LEFT JOIN enterprises en ON en.enterprise_id = d.enterprise_id " +
                "JOIN award_history h ON h.disbursement_id = d.disbursement_id AND h.kind = 'disbursement-requested' " +
                "JOIN mt_events e ON e.id = h.event_id JOIN event_chain c ON c.seq_id = e.seq_id " +
                "WHERE d.status IN ('requested', 'approved') AND d.county_code = ANY($1) ORDER BY c.chained_at",
                cancellationToken, (object)counties);
            var document = rows.Select(r =>
            {
                var status = (string)r[9]!;
                var approvals = (int)r[10]!;
                var waitingFor = status == "approved"
                    ? "payment (treasury voucher)"
                    : approvals == 0 ? "an approver other than the requester" : string.Create(CultureInfo.InvariantCulture, $"approval {approvals + 1} of {r[13] ?? approvals + 1} by another approver");
                return new ApprovalDocument((Guid)r[0]!, (Guid)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!, (string)r[6]!, (int)r[7]!,
                    ReportDocuments.Yuan((decimal)r[8]!), status, approvals, waitingFor, (string)r[11]!,
                    ReportDocuments.Instant(Instant.FromDateTimeUtc((DateTime)r[12]!))!);
            }).ToList();
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

    private static async Task<List<object?[]>> QueryAsync(LedgerDatabase database, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = database.App.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter is string[] codes
                ? new NpgsqlParameter { Value = codes, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text }
                : parameter is DBNull ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = parameter });
        }
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetFieldType(i) == typeof(DateOnly) || reader.GetDataTypeName(i) == "date" ? reader.GetFieldValue<DateOnly>(i) : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

}
