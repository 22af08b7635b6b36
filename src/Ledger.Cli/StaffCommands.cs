using System.CommandLine;
using System.Globalization;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.PublishedFigures;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Cli;

/// <summary>
/// The rest of what staff do, each a command over the existing handlers: revocation, clawbacks and repayments, renewals,
/// the expiry run, budget lines, enterprise corrections and moves, published figures.
/// </summary>
internal static class StaffCommands
{
    public static IEnumerable<Command> Create(TextWriter output, TextWriter error)
    {
        yield return Revoke(output, error);
        yield return Clawback(output, error);
        yield return Repay(output, error);
        yield return Renewal(output, error);
        yield return Expire(output, error);
        yield return BudgetLine(output, error, "appropriate");
        yield return BudgetLine(output, error, "adjust");
        yield return Correct(output, error);
        yield return Relocate(output, error);
        yield return Figure(output, error);
    }

    private static Command Revoke(TextWriter output, TextWriter error)
    {
        var designation = new Argument<string>("designation") { Description = "The designation's id." };
        var on = new Option<string>("--on") { Description = "Revoked on, yyyy-MM-dd.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (撤销理由).", Required = true };
        var clawback = new Option<bool>("--clawback") { Description = "Also demand back what its awards paid (追回)." };
        var command = new Command("revoke", "Revoke a designation: its awards' unpaid parts and open requests are cancelled; with --clawback what was paid is demanded back.");
        command.Arguments.Add(designation);
        command.Options.Add(on);
        command.Options.Add(reason);
        command.Options.Add(clawback);
        command.WithCaller().SetAction(async (parsed, ct) =>
        {
            var id = Writing.Id(parsed.GetValue(designation)!, "designation");
            var date = Writing.Date(parsed.GetValue(on)!, "--on");
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                await app.SendAsync(new RevokeDesignation(id, parsed.GetValue(reason)!, date, parsed.GetValue(clawback), caller.Actor, default), caller, ct);
                await output.WriteLineAsync($"Revoked designation {id} on {Writing.Format(date)}{(parsed.GetValue(clawback) ? ", clawback demanded" : "")} (key {caller.IdempotencyKey}).");
                return ExitCodes.Ok;
            }, "admin", ct);
        });
        return command;
    }

    private static Command Clawback(TextWriter output, TextWriter error)
    {
        var award = new Argument<string>("award") { Description = "The award's id." };
        var level = new Option<string>("--level") { Description = "The funding level whose payment is demanded back: province, city or county.", Required = true };
        var amount = new Option<string>("--amount") { Description = "Amount in 元.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why.", Required = true };
        var command = new Command("clawback", "Demand back (追回) money paid on an award from one funding level; prints the clawback's id.");
        command.Arguments.Add(award);
        foreach (var option in new Option[] { level, amount, reason })
        {
            command.Options.Add(option);
        }
        command.WithCaller().SetAction(async (parsed, ct) =>
        {
            var id = Writing.Id(parsed.GetValue(award)!, "award");
            var yuan = Writing.Amount(parsed.GetValue(amount)!, "--amount");
            var fundingLevel = Writing.Level(parsed.GetValue(level)!);
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                var clawbackId = DeterministicGuid.Create("cli-clawback:" + caller.IdempotencyKey);
                await app.SendAsync(new DemandClawback(id, clawbackId, fundingLevel, yuan, parsed.GetValue(reason)!, caller.Actor, default), caller, ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Clawback {clawbackId} of {yuan:0.00} 元 demanded on award {id} (key {caller.IdempotencyKey})."));
                return ExitCodes.Ok;
            }, "admin", ct);
        });
        return command;
    }

    private static Command Repay(TextWriter output, TextWriter error)
    {
        var award = new Argument<string>("award") { Description = "The award's id." };
        var clawback = new Argument<string>("clawback") { Description = "The clawback's id." };
        var amount = new Option<string>("--amount") { Description = "Amount repaid in 元.", Required = true };
        var valueDate = new Option<string>("--value-date") { Description = "The treasury's value date, yyyy-MM-dd.", Required = true };
        var voucher = new Option<string>("--voucher") { Description = "The treasury voucher of the repayment.", Required = true };
        var command = new Command("repay", "Record a (partial) clawback repayment received by the treasury.");
        command.Arguments.Add(award);
        command.Arguments.Add(clawback);
        foreach (var option in new Option[] { amount, valueDate, voucher })
        {
            command.Options.Add(option);
        }
        command.WithCaller().SetAction(async (parsed, ct) =>
        {
            var awardId = Writing.Id(parsed.GetValue(award)!, "award");
            var clawbackId = Writing.Id(parsed.GetValue(clawback)!, "clawback");
            var yuan = Writing.Amount(parsed.GetValue(amount)!, "--amount");
            var date = Writing.Date(parsed.GetValue(valueDate)!, "--value-date");
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                await app.SendAsync(new RecordClawbackRepayment(awardId, clawbackId, yuan, date, parsed.GetValue(voucher)!, caller.Actor, default), caller, ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Repayment of {yuan:0.00} 元 recorded on clawback {clawbackId} (key {caller.IdempotencyKey})."));
                return ExitCodes.Ok;
            }, "clerk", ct);
        });
        return command;
    }

    private static Command Renewal(TextWriter output, TextWriter error)
    {
        var designation = new Argument<string>("designation") { Description = "The designation's id." };
        var outcome = new Option<string>("--outcome") { Description = "passed or failed.", Required = true };
        var on = new Option<string>("--on") { Description = "Decided on, yyyy-MM-dd.", Required = true };
        var validTo = new Option<string?>("--valid-to") { Description = "New valid-to of a passed renewal (default: the tier's validity)." };
        var reviewer = new Option<string>("--reviewer") { Description = "The reviewing authority or person.", Required = true };
        var note = new Option<string?>("--note") { Description = "A note." };
        var command = new Command("renewal", "Record a renewal review (复审): passed (a renewal award may follow) or failed.");
        command.Arguments.Add(designation);
        foreach (var option in new Option[] { outcome, on, validTo, reviewer, note })
        {
            command.Options.Add(option);
        }
        command.WithCaller().SetAction(async (parsed, ct) =>
        {
            var id = Writing.Id(parsed.GetValue(designation)!, "designation");
            var result = parsed.GetValue(outcome) switch
            {
                "passed" => RenewalOutcome.Passed,
                "failed" => RenewalOutcome.Failed,
                var other => throw new DomainException("cli.outcome", $"--outcome: '{other}' is neither passed nor failed."),
            };
            var date = Writing.Date(parsed.GetValue(on)!, "--on");
            LocalDate? to = parsed.GetValue(validTo) is { } text ? Writing.Date(text, "--valid-to") : null;
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                await app.SendAsync(new ReviewRenewal(id, result, date, to, parsed.GetValue(reviewer)!, parsed.GetValue(note), caller.Actor, default), caller, ct);
                await output.WriteLineAsync($"Renewal {parsed.GetValue(outcome)} recorded for designation {id} (key {caller.IdempotencyKey}).");
                return ExitCodes.Ok;
            }, "clerk", ct);
        });
        return command;
    }

    private static Command Expire(TextWriter output, TextWriter error)
    {
        var asOf = new Option<string>("--as-of") { Description = "Expire every designation whose validity ended before this date, yyyy-MM-dd.", Required = true };
        var command = new Command("expire", "Run the expiry: record the end of every designation whose validity ended before the date and was not renewed.");
        command.Options.Add(asOf);
        command.WithCaller().SetAction(async (parsed, ct) =>
        {
            var date = Writing.Date(parsed.GetValue(asOf)!, "--as-of");
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                var expired = await app.SendAsync(new ExpireDesignations(date, caller.Actor, default), caller, ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{expired} designation(s) expired as of {Writing.Format(date)} (key {caller.IdempotencyKey})."));
                return ExitCodes.Ok;
            }, "admin", ct);
        });
        return command;
    }

    private static Command BudgetLine(TextWriter output, TextWriter error, string verb)
    {
        var division = new Option<string>("--division") { Description = "Division code of the line.", Required = true };
        var year = new Option<int>("--year") { Description = "Fiscal year.", Required = true };
        var level = new Option<string>("--level") { Description = "province, city or county.", Required = true };
        var amount = new Option<string>(verb == "adjust" ? "--delta" : "--amount")
        {
            Description = verb == "adjust" ? "Change in 元, negative for a cut." : "Appropriation in 元.",
            Required = true,
        };
        var reason = new Option<string>("--reason") { Description = "Why.", Required = verb == "adjust" };
        var command = new Command($"budget-{verb}", verb == "adjust" ? "Adjust a budget line (预算调整) by a delta." : "Appropriate a budget line (预算下达).");
        foreach (var option in new Option[] { division, year, level, amount, reason })
        {
            command.Options.Add(option);
        }
        command.WithCaller().SetAction(async (parsed, ct) =>
        {
            var text = parsed.GetValue(amount)!;
            var yuan = verb == "adjust" && text.StartsWith('-') ? -Writing.Amount(text[1..], "--delta") : Writing.Amount(text, amount.Name);
            var line = new BudgetLineKey(parsed.GetValue(division)!, parsed.GetValue(year), Writing.Level(parsed.GetValue(level)!));
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                ILedgerCommand change = verb == "adjust"
                    ? new AdjustBudget(line, yuan, parsed.GetValue(reason)!, caller.Actor, default)
                    : new AppropriateBudget(line, yuan, caller.Actor, default);
                await app.SendAsync(change, caller, ct);
                var state = (await app.Budgets.LoadAsync(line, null, ct)).State;
                await output.WriteLineAsync($"Budget line {line}: appropriated {state.Appropriated}, adjustments {state.Adjustments}, available {state.Available} (key {caller.IdempotencyKey}).");
                return ExitCodes.Ok;
            }, "admin", ct);
        });
        return command;
    }

    private static Command Correct(TextWriter output, TextWriter error)
    {
        var uscc = new Argument<string>("uscc") { Description = "The enterprise's USCC." };
        var name = new Option<string?>("--name") { Description = "Corrected name." };
        var industry = new Option<string?>("--industry") { Description = "Corrected industry." };
        var bank = new Option<string?>("--bank") { Description = "Bank (开户行) of the corrected account; with --account-name and --account-number." };
        var accountName = new Option<string?>("--account-name") { Description = "Account holder (户名)." };
        var accountNumber = new Option<string?>("--account-number") { Description = "Account number (账号)." };
        var reason = new Option<string>("--reason") { Description = "Why the record was wrong.", Required = true };
        var command = new Command("correct", "Correct an enterprise's record (it was wrong): name, industry or bank account. A move to another county is 'relocate'.");
        command.Arguments.Add(uscc);
        foreach (var option in new Option[] { name, industry, bank, accountName, accountNumber, reason })
        {
            command.Options.Add(option);
        }
        command.WithCaller().SetAction(async (parsed, ct) =>
        {
            var id = Enterprise.StreamIdFor(Uscc.Parse(parsed.GetValue(uscc)!));
            var parts = new[] { parsed.GetValue(bank), parsed.GetValue(accountName), parsed.GetValue(accountNumber) };
            BankAccount? account = parts.All(p => p is null) ? null
                : parts.Any(p => p is null) ? throw new DomainException("cli.bank-account", "--bank, --account-name, --account-number: give all three to correct the bank account.")
                : new BankAccount(parts[0]!, parts[1]!, parts[2]!);
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                await app.SendAsync(new CorrectEnterpriseDetails(id, parsed.GetValue(name), null, parsed.GetValue(industry), account, parsed.GetValue(reason)!, caller.Actor, default), caller, ct);
                await output.WriteLineAsync($"Corrected enterprise {parsed.GetValue(uscc)} (key {caller.IdempotencyKey}).");
                return ExitCodes.Ok;
            }, "clerk", ct);
        });
        return command;
    }

    private static Command Relocate(TextWriter output, TextWriter error)
    {
        var uscc = new Argument<string>("uscc") { Description = "The enterprise's USCC." };
        var to = new Option<string>("--to") { Description = "The county it moved to.", Required = true };
        var on = new Option<string>("--on") { Description = "The day the move took effect in the business registry, yyyy-MM-dd.", Required = true };
        var registry = new Option<string>("--registry") { Description = "The registry's reference for the change.", Required = true };
        var command = new Command("relocate", "Record that an enterprise moved to another county: facts dated from the move on belong to the new county.");
        command.Arguments.Add(uscc);
        command.Options.Add(to);
        command.Options.Add(on);
        command.Options.Add(registry);
        command.WithCaller().SetAction(async (parsed, ct) =>
        {
            var id = Enterprise.StreamIdFor(Uscc.Parse(parsed.GetValue(uscc)!));
            var date = Writing.Date(parsed.GetValue(on)!, "--on");
            return await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                await app.SendAsync(new RelocateEnterprise(id, parsed.GetValue(to)!, date, parsed.GetValue(registry)!, null, caller.Actor, default), caller, ct);
                await output.WriteLineAsync($"Enterprise {parsed.GetValue(uscc)} moved to {parsed.GetValue(to)} from {Writing.Format(date)} (key {caller.IdempotencyKey}).");
                return ExitCodes.Ok;
            }, "clerk", ct);
        });
        return command;
    }

    private static Command Figure(TextWriter output, TextWriter error)
    {
        var command = new Command("figure", "Published figures: record them from a file or one by one, or revise one with a newer publication.");
        var file = new Argument<string>("file") { Description = "A published-figures.csv file." };
        var load = new Command("load", "Record every figure of a published-figures.csv file in one commit; rows the ledger holds already are skipped, bad rows listed and nothing written.");
        load.Arguments.Add(file);
        load.WithCaller().SetAction(async (parsed, ct) => await Writing.WithAppAsync(parsed, error, async (app, caller) =>
        {
            var figures = PublishedFigureFile.Read(parsed.GetValue(file)!, app.Reference, app.Figures.Measures);
            var recorded = await app.SendAsync(new RecordPublishedFigures(figures, caller.Actor, default), caller, ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{figures.Count} figure(s) read, {recorded} new (key {caller.IdempotencyKey})."));
            return ExitCodes.Ok;
        }, "admin", ct));
        command.Subcommands.Add(load);
        foreach (var revise in new[] { false, true })
        {
            var jurisdiction = new Option<string>("--jurisdiction") { Required = true, Description = "Division code (100000 for the nation)." };
            var year = new Option<int>("--year") { Required = true, Description = "The year the figure is for." };
            var measure = new Option<string>("--measure") { Required = true, Description = "A measure of measures.csv." };
            var basis = new Option<string>("--basis") { Required = true, Description = "paid, determined, paid_cumulative or stock." };
            var value = new Option<string>("--value") { Required = true, Description = "The value as published (元, or enterprises)." };
            var atLeast = new Option<bool>("--at-least") { Description = "The figure is a lower bound (\"1.2万余家\")." };
            var source = new Option<string>("--source") { Required = true, Description = "Where it was published." };
            var quote = new Option<string?>("--quote") { Description = "The sentence as published." };
            var reason = new Option<string>("--reason") { Required = revise, Description = "Why it is revised." };
            var sub = new Command(revise ? "revise" : "record", revise ? "Revise a recorded figure with a newer publication." : "Record one published figure.");
            foreach (var option in new Option[] { jurisdiction, year, measure, basis, value, atLeast, source, quote }.Concat(revise ? [reason] : []))
            {
                sub.Options.Add(option);
            }
            sub.WithCaller().SetAction(async (parsed, ct) => await Writing.WithAppAsync(parsed, error, async (app, caller) =>
            {
                var code = parsed.GetValue(measure)!;
                var figureBasis = parsed.GetValue(basis) switch
                {
                    "paid" => FigureBasis.Paid,
                    "determined" => FigureBasis.Determined,
                    "paid_cumulative" => FigureBasis.PaidCumulative,
                    "stock" => FigureBasis.Stock,
                    var other => throw new DomainException("cli.basis", $"--basis: '{other}' is not paid, determined, paid_cumulative or stock."),
                };
                var number = decimal.TryParse(parsed.GetValue(value), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
                    ? v : throw new DomainException("cli.value", $"--value: '{parsed.GetValue(value)}' is not a number.");
                var input = new FigureInput(parsed.GetValue(jurisdiction)!, parsed.GetValue(year), code, figureBasis, number,
                    app.Figures.Measures.Find(code)?.Unit ?? "", parsed.GetValue(atLeast), parsed.GetValue(source)!, parsed.GetValue(quote) ?? "");
                if (revise)
                {
                    await app.SendAsync(new RevisePublishedFigure(input, parsed.GetValue(reason)!, caller.Actor, default), caller, ct);
                }
                else if (await app.SendAsync(new RecordPublishedFigures([input], caller.Actor, default), caller, ct) == 0)
                {
                    await output.WriteLineAsync("The ledger holds this figure already: nothing recorded.");
                    return ExitCodes.Ok;
                }
                await output.WriteLineAsync($"{(revise ? "Revised" : "Recorded")} {input.JurisdictionCode} {input.Year} {code} ({parsed.GetValue(basis)}) (key {caller.IdempotencyKey}).");
                return ExitCodes.Ok;
            }, "admin", ct));
            command.Subcommands.Add(sub);
        }
        return command;
    }
}
