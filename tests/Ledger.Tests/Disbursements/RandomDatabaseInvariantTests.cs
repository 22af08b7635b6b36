using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Disbursements;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Tests.Support;

namespace Ledger.Tests.Disbursements;

/// <summary>
/// <see cref="LedgerInvariantTests"/> end to end: random valid and invalid commands through the REAL handlers on a REAL
/// PostgreSQL database (<see cref="RandomDatabaseGame"/>). A refusal must be a <see cref="DomainException"/> and must not
/// move the chain's head; after every step the invariants are checked on what the database returns: the award streams
/// folded, the budget lines folded, and the read tables (<c>awards</c>, <c>disbursements</c>, <c>vouchers</c>). A failure
/// names the seed and step: rerun that seed to replay the same game.
/// </summary>
public sealed class RandomDatabaseInvariantTests : LedgerFixture
{
    private const int Steps = 300;
    private const int VerifyEvery = 50;

    [Theory]
    [InlineData(7)]
    [InlineData(2025)]
    public async Task Random_commands_through_the_handlers_never_break_the_ledger_invariants(int seed)
    {
        var game = await RandomDatabaseGame.SetUpAsync(App, Clock, seed, Steps);
        await CheckAsync(game, $"seed {seed}, after setup");

        for (var step = 1; step <= Steps; step++)
        {
            var command = game.Next();
            var where = $"seed {seed}, step {step}, {command.Kind}: {command.Text}";
            var head = (await App.Store.HeadAsync()).Seq;
            Exception? error = null;
            try
            {
                await command.Run(command.Context);
            }
#pragma warning disable CA1031 // Every exception is judged below: the type a refusal has is what is tested.
            catch (Exception e)
#pragma warning restore CA1031
            {
                error = e;
            }
            var after = (await App.Store.HeadAsync()).Seq;

            switch (command.Expect)
            {
                case RandomDatabaseGame.Expect.Decide when error is null:
                    after.ShouldBeGreaterThan(head, $"an accepted command appended nothing ({where})");
                    game.Accept(command);
                    break;
                case RandomDatabaseGame.Expect.Decide:
                    var refusal = error.ShouldBeOfType<DomainException>($"a refusal must be a DomainException ({where}); it was {error}");
                    after.ShouldBe(head, $"a refused command appended events ({where}; refused {refusal.Code}: {refusal.Message})");
                    game.Refuse(refusal);
                    where += $" → refused {refusal.Code}";
                    break;
                case RandomDatabaseGame.Expect.Replay:
                    error.ShouldBeNull($"a retry under its own idempotency key must return the first result ({where}); it threw {error}");
                    after.ShouldBe(head, $"a retry under its own idempotency key appended events ({where})");
                    game.Accept(command);
                    break;
                case RandomDatabaseGame.Expect.KeyConflict:
                    error.ShouldBeOfType<IdempotencyConflictException>($"a key reused for another command must conflict ({where}); it was {error?.ToString() ?? "accepted"}");
                    after.ShouldBe(head, $"a command refused for its reused key appended events ({where})");
                    game.Accept(command);
                    break;
            }

            await CheckAsync(game, where);
            if (step % VerifyEvery == 0 || step == Steps)
            {
                var verified = await App.Store.VerifyAsync();
                verified.Ok.ShouldBeTrue($"the hash chain does not verify at seq {verified.BrokenSeq}: {verified.Reason} ({where})");
                verified.Head.Seq.ShouldBe(after, $"verify read a different head ({where})");
            }
        }

        // The game must have exercised the rules through the handlers, not only refused everything.
        foreach (var kind in new[] { "request", "approve", "reject", "cancel", "pay", "return", "adjust", "demand-clawback", "repay-clawback", "retry", "reuse-key" })
        {
            game.AcceptedKinds.GetValueOrDefault(kind).ShouldBeGreaterThan(0, $"seed {seed}: no {kind} was ever accepted");
        }
        string[] expectedRefusals =
            [
                "budget.insufficient", "disbursement.exceeds-share", "disbursement.approver-is-requester", "disbursement.already-approved",
                "disbursement.value-date-year", "disbursement.amount-not-positive", "money.precision", "disbursement.illegal-transition",
                "disbursement.voucher-used", "disbursement.in-publicity", "clawback.exceeds-paid", "clawback.over-repayment",
                "disbursement.value-date-not-working-day",
            ];
        expectedRefusals.Except(game.RefusalCodes).ShouldBeEmpty(
            $"seed {seed} refused only: {string.Join(", ", game.RefusalCodes.Order(StringComparer.Ordinal))}; accepted {string.Join(", ", game.AcceptedKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"))}");
    }

    /// <summary>Reads everything back from the database and checks it; hands the states to the game to draw the next command from.</summary>
    private async Task CheckAsync(RandomDatabaseGame game, string where)
    {
        var accounts = new Dictionary<Guid, AwardAccount>();
        foreach (var award in game.Awards)
        {
            var loaded = await App.Awards.LoadAsync(award.AwardId);
            loaded.State.StreamVersion.ShouldBe((int)loaded.Version, $"award {award.AwardId} folded a different number of events than its stream has ({where})");
            accounts[award.AwardId] = loaded.State;
            CheckShares(loaded.State, where);
            await CheckApprovalsAsync(award, loaded.State, where);
        }

        var lineKeys = game.LineKeys.Concat(accounts.Values.SelectMany(LinesTouched)).Distinct().ToList();
        var lines = new Dictionary<BudgetLineKey, BudgetLine>();
        foreach (var key in lineKeys)
        {
            lines[key] = (await App.Budgets.LoadAsync(key)).State;
        }
        CheckLines(game, accounts, lines, where);
        await CheckReadModelsAsync(accounts, where);

        game.Accounts = accounts;
        game.Lines = lines;
    }

    /// <summary>1. Per award and funding level: never more paid (or committed) than the share; clawbacks within what was paid.</summary>
    private static void CheckShares(AwardAccount account, string where)
    {
        foreach (var level in new[] { FundingLevel.Province, FundingLevel.City, FundingLevel.County })
        {
            var share = account.Share(level);
            var paid = account.PaidNet(level);
            Expect(paid <= share, () => $"award {account.Award.Id} paid {paid} net from {level}, above its share {share} ({where})");
            Expect(account.Committed(level) <= share, () => $"award {account.Award.Id} committed {account.Committed(level)} from {level}, above its share {share} ({where})");
            Expect(account.ClawbackDemanded(level) <= paid, () => $"award {account.Award.Id} demanded back {account.ClawbackDemanded(level)} from {level}, more than the {paid} paid ({where})");
            Expect(account.ClawbackRepaid(level) <= account.ClawbackDemanded(level), () => $"award {account.Award.Id} repaid more than demanded from {level} ({where})");
        }
        Expect(account.Award.Funding.Aggregate(Money.Zero, (sum, f) => sum + f.Amount) == account.Award.Amount,
            () => $"award {account.Award.Id}: shares do not add up to {account.Award.Amount} ({where})");
        Expect(account.Award.Status == AwardStatus.Determined || !account.Disbursements.Values.Any(d => d.IsOpen),
            () => $"cancelled award {account.Award.Id} keeps an open disbursement ({where})");
    }

    /// <summary>
    /// 3. Replays the award's raw events: each final approval records the approvals the rules asked for then (the award's
    /// amount at that moment against the policy's threshold or the default), and every disbursement ever paid had that many
    /// distinct approvers, none its requester unless the approval was a historical paper record.
    /// </summary>
    private async Task CheckApprovalsAsync(RandomDatabaseGame.AwardSetup award, AwardAccount account, string where)
    {
        var terms = award.Policy.Version(account.Award.PolicyVersion).Terms;
        var amount = Money.Zero;
        var required = new Dictionary<Guid, int>();
        foreach (var stored in await App.Store.ReadStreamAsync(award.AwardId))
        {
            switch (stored.Data)
            {
                case AwardDetermined e:
                    amount = e.Amount;
                    break;
                case AwardRedetermined e:
                    amount = e.NewAmount;
                    break;
                case DisbursementApproved { Final: true } e:
                    var expected = LedgerApp.DefaultApprovals.RequiredApprovals(amount, terms);
                    Expect(e.ApprovalsRequired == expected,
                        () => $"final approval of {e.DisbursementId} recorded {e.ApprovalsRequired} approvals required, the rules ask {expected} for an award of {amount} ({where})");
                    required[e.DisbursementId] = expected;
                    break;
            }
        }
        foreach (var d in account.Disbursements.Values.Where(d => d.VoucherNumber is not null))
        {
            Expect(required.ContainsKey(d.Id), () => $"paid {d.Id} has no final approval ({where})");
            Expect(d.DistinctApprovers.Count >= required[d.Id],
                () => $"paid {d.Id} has {d.DistinctApprovers.Count} distinct approvers ({string.Join(", ", d.DistinctApprovers)}), fewer than {required[d.Id]} ({where})");
            Expect(!d.Approvals.Any(a => !a.Historical && Disbursement.ApproverComparer.Equals(a.Approver, d.Requester)),
                () => $"paid {d.Id} was approved by its requester {d.Requester} ({where})");
        }
    }

    /// <summary>
    /// 2 and 4. Every line: available never below zero; appropriations and adjustments as the accepted commands made them;
    /// reserved, paid, returned and repaid equal to what the award accounts say landed on that line.
    /// </summary>
    private static void CheckLines(RandomDatabaseGame game, Dictionary<Guid, AwardAccount> accounts, Dictionary<BudgetLineKey, BudgetLine> lines, string where)
    {
        var disbursements = accounts.Values.SelectMany(a => a.Disbursements.Values).ToList();
        foreach (var (key, line) in lines)
        {
            Expect(line.Available >= Money.Zero, () => $"line {key} has {line.Available} available, below zero ({where})");
            var (appropriated, adjustments) = game.ExpectedBudget.GetValueOrDefault(key);
            Same(line.Appropriated, appropriated, () => $"line {key} appropriated ({where})");
            Same(line.Adjustments, adjustments, () => $"line {key} adjustments ({where})");

            var approved = disbursements.Where(d => d.Status == DisbursementStatus.Approved && d.ReservationLine == key).ToList();
            Same(line.Reserved, Sum(approved.Select(d => d.Amount)), () => $"line {key} reserved vs the approved disbursements on it ({where})");
            Expect(line.Reservations.Keys.Order().SequenceEqual(approved.Select(d => d.Id).Order()),
                () => $"line {key} holds reservations for other disbursements than those approved on it ({where})");
            Same(line.Paid, Sum(disbursements.Where(d => d.VoucherNumber is not null && d.ReservationLine == key).Select(d => d.Amount)),
                () => $"line {key} paid vs the disbursements paid from it ({where})");
            Same(line.Returned, Sum(disbursements.Where(d => d.ReturnedOn is { } on && ReturnLine(d, on) == key).Select(d => d.Amount)),
                () => $"line {key} returned vs the disbursements returned to it ({where})");
            Same(line.Repaid, Sum(accounts.Values.SelectMany(a => a.Clawbacks.Values)
                    .SelectMany(c => c.Repayments.Where(r => c.CreditLine(r.ValueDate) == key)).Select(r => r.Amount)),
                () => $"line {key} repaid vs the clawback repayments credited to it ({where})");
        }
        var netOnLines = Sum(lines.Values.Select(l => l.Paid - l.Returned));
        var netOnAwards = Sum(accounts.Values.Select(a => a.PaidNetTotal));
        Same(netOnLines, netOnAwards, () => $"paid − returned on all lines vs paid net on all awards ({where})");
    }

    /// <summary>4. The read tables say what the streams say.</summary>
    private async Task CheckReadModelsAsync(Dictionary<Guid, AwardAccount> accounts, string where)
    {
        var expected = accounts.Values
            .SelectMany(a => a.InOrder.Select(d =>
                $"{d.Id} award {a.Award.Id} {BudgetLineKey.LevelName(d.Level)} {d.DivisionCode}/{d.PlannedYear} {d.Amount} {d.Status.ToString().ToLowerInvariant()} " +
                $"approvals {d.Approvals.Count} voucher {d.VoucherNumber} {d.ValueDate?.ToString("uuuu-MM-dd", null)}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var table = await RowsAsync(
            "SELECT disbursement_id, award_id, level, division_code, planned_year, amount, status, approvals, voucher_number, value_date FROM disbursements",
            r => $"{r.GetGuid(0)} award {r.GetGuid(1)} {r.GetString(2)} {r.GetString(3)}/{r.GetInt32(4)} {Money.Of(r.GetDecimal(5))} {r.GetString(6)} " +
                 $"approvals {r.GetInt32(7)} voucher {(r.IsDBNull(8) ? "" : r.GetString(8))} {(r.IsDBNull(9) ? "" : r.GetFieldValue<DateOnly>(9).ToString("yyyy-MM-dd", null))}");
        table.ShouldBe(expected, $"the disbursements table differs from the award streams ({where})");

        // A returned disbursement keeps its voucher: a treasury voucher, once used, is never used again.
        var vouchers = await RowsAsync("SELECT voucher_number, award_id, disbursement_id FROM vouchers", r => $"{r.GetString(0)} {r.GetGuid(1)} {r.GetGuid(2)}");
        vouchers.ShouldBe(
            [.. accounts.Values.SelectMany(a => a.Disbursements.Values.Where(d => d.VoucherNumber is not null).Select(d => $"{d.VoucherNumber} {a.Award.Id} {d.Id}")).Order(StringComparer.Ordinal)],
            $"the vouchers table differs from the vouchers of the paid disbursements ({where})");

        var awards = await RowsAsync(
            "SELECT award_id, amount, status FROM awards WHERE award_id = ANY($1)",
            r => $"{r.GetGuid(0)} {Money.Of(r.GetDecimal(1))} {r.GetString(2)}",
            accounts.Keys.ToArray());
        awards.ShouldBe(
            [.. accounts.Values.Select(a => $"{a.Award.Id} {a.Award.Amount} {a.Award.Status.ToString().ToLowerInvariant()}").Order(StringComparer.Ordinal)],
            $"the awards table differs from the award streams ({where})");
    }

    private async Task<List<string>> RowsAsync(string sql, Func<Npgsql.NpgsqlDataReader, string> row, params object[] parameters)
    {
        await using var command = App.Store.DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = parameter });
        }
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(row(reader));
        }
        return [.. rows.Order(StringComparer.Ordinal)];
    }

    /// <summary>Every line an award's money moved on: reservations and payments, returns and repayments in their own years.</summary>
    private static IEnumerable<BudgetLineKey> LinesTouched(AwardAccount account) =>
        account.Disbursements.Values.Select(d => d.ReservationLine)
            .Concat(account.Disbursements.Values.Where(d => d.ReturnedOn is not null).Select(d => ReturnLine(d, d.ReturnedOn!.Value)))
            .Concat(account.Clawbacks.Values.SelectMany(c => c.Repayments.Select(r => c.CreditLine(r.ValueDate))));

    private static BudgetLineKey ReturnLine(Disbursement d, NodaTime.LocalDate returnedOn) => new(d.DivisionCode, returnedOn.Year, d.Level);

    private static Money Sum(IEnumerable<Money> amounts) => amounts.Aggregate(Money.Zero, (sum, m) => sum + m);

    // Checked thousands of times a game: plain comparisons, with the message built only on failure.
    private static void Expect(bool holds, Func<string> problem)
    {
        if (!holds)
        {
            holds.ShouldBeTrue(problem());
        }
    }

    private static void Same<T>(T actual, T expected, Func<string> what) =>
        Expect(EqualityComparer<T>.Default.Equals(actual, expected), () => $"{what()}: expected {expected}, was {actual}");
}
