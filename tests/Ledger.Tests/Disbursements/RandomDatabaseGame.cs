using System.Globalization;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;
using NodaTime.Testing;

namespace Ledger.Tests.Disbursements;

/// <summary>
/// The database twin of <see cref="RandomLedger"/>: five awards set up through the real handlers (the Xishan and Jiaxing
/// policies, recognitions imported for enterprises with bank accounts in 320205 and 330424) and eight budget lines (six
/// appropriated, two not), then random valid and invalid commands from a seeded <see cref="Random"/>, each built from what
/// the database said after the previous step. Everything the game draws depends only on the seed and on that read-back,
/// so a seed replays exactly.
/// </summary>
internal sealed class RandomDatabaseGame
{
    /// <summary>What a command must do: decide (succeed, or be refused with a <see cref="DomainException"/>), replay, or conflict.</summary>
    public enum Expect
    {
        Decide,
        /// <summary>The same command under the key it was accepted with: answered with its first result, nothing appended.</summary>
        Replay,
        /// <summary>A different command under a key already used: <c>IdempotencyConflictException</c>, nothing appended.</summary>
        KeyConflict,
    }

    /// <param name="Accepted">What the game records when the command is accepted (budget figures it expects, keys to replay).</param>
    public sealed record Command(string Kind, string Text, Caller Context, Func<Caller, Task> Run, Expect Expect, Action? Accepted = null);

    public sealed record AwardSetup(Guid AwardId, Guid DesignationId, AwardPolicyState Policy);

    private static readonly string[] Requesters = ["clerk-li", "clerk-zhou", "approver-wang"];
    private static readonly string[] Approvers = ["clerk-li", "approver-wang", "approver-zhao", "approver-sun", "Approver-Sun "];
    private static readonly FundingLevel[] Levels = [FundingLevel.Province, FundingLevel.City, FundingLevel.County];

    private readonly Random _rng;
    private readonly LedgerApp _app;
    private readonly FakeClock _clock;
    private readonly List<(Caller Caller, string Text, Func<Caller, Task> Run)> _keyed = [];
    private readonly HashSet<string> _vouchers = [];

    private RandomDatabaseGame(LedgerApp app, FakeClock clock, int seed, int steps, IReadOnlyList<AwardSetup> awards)
    {
        _app = app;
        _clock = clock;
        _rng = new Random(seed);
        Seed = seed;
        TotalSteps = steps;
        Awards = awards;
    }

    /// <summary>The lines appropriated at the start (division, year, level → amount): some ample, some too small for what the awards ask.</summary>
    public static IReadOnlyDictionary<BudgetLineKey, decimal> InitialBudget { get; } = new Dictionary<BudgetLineKey, decimal>
    {
        [new(TestReference.Xishan, 2024, FundingLevel.County)] = 500_000m,
        [new(TestReference.Xishan, 2025, FundingLevel.County)] = 2_000_000m,
        [new(TestReference.Jiaxing, 2024, FundingLevel.City)] = 1_000_000m,
        [new(TestReference.Jiaxing, 2025, FundingLevel.City)] = 200_000m,
        [new(TestReference.Haiyan, 2024, FundingLevel.County)] = 300_000m,
        [new(TestReference.Haiyan, 2025, FundingLevel.County)] = 1_500_000m,
    };

    /// <summary>Lines never appropriated at the start: a 2023 request can only fail for budget until one is appropriated.</summary>
    public static IReadOnlyList<BudgetLineKey> SpareLines { get; } =
    [
        new(TestReference.Xishan, 2023, FundingLevel.County),
        new(TestReference.Haiyan, 2026, FundingLevel.County),
    ];

    public int Seed { get; }
    public int TotalSteps { get; }
    public int Step { get; private set; }

    /// <summary>
    /// Starts after National Day 2024, while the two awards recognised at the end of September and on the first day of the game
    /// are still in publicity; moves up to 8 hours a step for the first 40 steps, then up to 32, so a game of 250 steps crosses
    /// into 2025 (payments and returns in another year than planned, requests for a year that has no budget yet).
    /// </summary>
    public Instant Now => _clock.GetCurrentInstant();

    public LocalDate Today => ChinaTime.DateOf(Now);
    public IReadOnlyList<AwardSetup> Awards { get; }
    public IReadOnlyList<BudgetLineKey> LineKeys { get; } = [.. InitialBudget.Keys, .. SpareLines];

    /// <summary>The accounts as the database returned them after the last step: what the next command is drawn from.</summary>
    public IReadOnlyDictionary<Guid, AwardAccount> Accounts { get; set; } = new Dictionary<Guid, AwardAccount>();

    /// <summary>The lines as the database returned them after the last step.</summary>
    public IReadOnlyDictionary<BudgetLineKey, BudgetLine> Lines { get; set; } = new Dictionary<BudgetLineKey, BudgetLine>();

    /// <summary>Appropriations and adjustments per line, as the accepted commands made them.</summary>
    public Dictionary<BudgetLineKey, (Money Appropriated, Money Adjustments)> ExpectedBudget { get; } = [];

    public Dictionary<string, int> AcceptedKinds { get; } = [];
    public HashSet<string> RefusalCodes { get; } = [];

    /// <summary>Issues the two policies, registers five enterprises with bank accounts, imports their recognitions, appropriates the lines.</summary>
    public static async Task<RandomDatabaseGame> SetUpAsync(LedgerApp app, FakeClock clock, int seed, int steps)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(clock);
        var setupAt = Instant.FromUtc(2024, 10, 8, 0, 0);
        clock.Reset(setupAt);
        var admin = new Caller("admin", "admin");
        var clerk = new Caller("clerk", "clerk");
        var xishan = await app.SendAsync(TestPolicies.IssueXishan, admin);
        var jiaxing = await app.SendAsync(TestPolicies.IssueJiaxing, admin);

        // Xishan (county 100 %, up-to, 5 working days, default threshold 500,000): 300,000 / 500,000 (two approvers) / 100,000
        // determined in 2023. Jiaxing (city 50 % + county 50 %, fixed, 7 working days, threshold 1,000,000): 1,500,000 (two
        // approvers) and 500,000 (one). The recognitions of 30 September and 8 October are still in publicity when the game starts.
        (string County, string Tier, LocalDate On)[] recognitions =
        [
            (TestReference.Xishan, "provincial-srdi", new LocalDate(2024, 6, 3)),
            (TestReference.Xishan, "national-little-giant", new LocalDate(2024, 10, 8)),
            (TestReference.Xishan, "municipal-srdi", new LocalDate(2023, 11, 1)),
            (TestReference.Haiyan, "national-little-giant", new LocalDate(2024, 5, 20)),
            (TestReference.Haiyan, "provincial-hidden-champion", new LocalDate(2024, 9, 30)),
        ];
        var awards = new List<AwardSetup>();
        var serial = 0;
        foreach (var (county, tier, on) in recognitions)
        {
            serial++;
            var enterprise = await app.SendAsync(
                new RegisterEnterprise(
                    LedgerFixture.UsccFor(county, 700 + serial), $"随机企业{serial}", county, "制造业",
                    new BankAccount("中国工商银行", $"随机企业{serial}", $"620200{serial:D8}"), "clerk", setupAt),
                clerk);
            var designation = await app.SendAsync(
                new RecognizeDesignation(enterprise, tier, LedgerFixture.AuthorityFor(app.Reference, tier, county), $"认〔{on.Year}〕{serial}号", on,
                    null, null, null, "clerk", setupAt, new Ledger.Imports.HistoricalImport("random-setup")),
                clerk);
            var accounts = await app.Awards.AccountsAsync("designation_id = $1", CancellationToken.None, designation);
            var award = accounts.ShouldHaveSingleItem($"the {tier} recognition in {county} determined one award").Award;
            var policy = (await PolicyHandler.LoadAsync(app.Store, award.PolicyId, null, CancellationToken.None)).State;
            award.PolicyId.ShouldBeOneOf(xishan, jiaxing);
            awards.Add(new AwardSetup(award.Id, designation, policy));
        }

        var game = new RandomDatabaseGame(app, clock, seed, steps, awards);
        foreach (var (key, amount) in InitialBudget)
        {
            await app.SendAsync(new AppropriateBudget(key, amount, "admin", setupAt), admin);
            game.ExpectedBudget[key] = (Money.Of(amount), Money.Zero);
        }
        // The game starts an hour after its set-up.
        clock.Reset(Instant.FromUtc(2024, 10, 8, 1, 0));
        return game;
    }

    /// <summary>Moves the clock and draws the next command; nothing runs until the caller runs it.</summary>
    public Command Next()
    {
        Step++;
        _clock.Advance(Duration.FromMinutes(_rng.Next(0, (Step <= 40 ? 8 : 32) * 60)));
        // Revoking ends an award's payments for good: kept for the last fifth of the game.
        var late = Step > TotalSteps * 4 / 5;
        var roll = _rng.Next(1000);
        return roll switch
        {
            < 200 => Request(),
            < 430 => Approve(),
            < 460 => Reject(),
            < 490 => Cancel(),
            < 670 => Pay(),
            < 710 => Return(),
            < 760 => Adjust(),
            < 775 => Appropriate(),
            < 820 => DemandClawback(),
            < 875 => Repay(),
            < 895 => Redetermine(),
            < 925 when _keyed.Count > 0 => Retry(),
            < 945 when _keyed.Count > 0 => ReuseKey(),
            < 952 when late => Revoke(),
            _ => Request(),
        };
    }

    public void Accept(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        AcceptedKinds[command.Kind] = AcceptedKinds.GetValueOrDefault(command.Kind) + 1;
        command.Accepted?.Invoke();
        if (command.Expect == Expect.Decide && command.Context.IdempotencyKey is not null)
        {
            _keyed.Add((command.Context, command.Text, command.Run));
        }
    }

    public void Refuse(DomainException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        RefusalCodes.Add(refusal.Code);
    }

    private Command Request()
    {
        var award = _rng.Pick(Awards);
        var account = Accounts[award.AwardId];
        var level = _rng.Next(10) < 8 ? _rng.Pick(account.Award.Funding).Level : _rng.Pick(Levels);
        var room = account.Uncommitted(level).Yuan;
        var amount = _rng.Next(10) switch
        {
            < 6 => Math.Max(0.01m, decimal.Round(room * (decimal)_rng.NextDouble(), 2)),
            6 => room,
            7 => room + 0.01m,
            8 => _rng.Pick([0m, -1m, 100.001m, 0.005m]),
            _ => decimal.Round((decimal)(_rng.NextDouble() * 800_000), 2),
        };
        int? plannedYear = _rng.Next(10) switch
        {
            < 6 => null,
            < 9 => Today.Year + _rng.Next(0, 2),
            _ => 2023,
        };
        // Sometimes the id of one of the award's own disbursements (refused as a duplicate). An id of ANOTHER award's
        // disbursement is not drawn: the handler lets the database refuse it with a raw unique violation, see
        // DisbursementHandlerTests.A_disbursement_id_already_used_on_another_award_is_refused_as_a_duplicate.
        var own = account.InOrder.ToList();
        var id = _rng.Next(20) == 0 && own.Count > 0 ? _rng.Pick(own).Id : _rng.NextGuid();
        var command = new RequestDisbursement(award.AwardId, id, amount, level, plannedYear, _rng.Pick(Requesters), Now);
        return Keyed("request", Describe(command), "clerk", command.Requester, ctx => _app.SendAsync(command, ctx));
    }

    private Command Approve()
    {
        var (award, disbursement) = PickDisbursement(d => d.Status == DisbursementStatus.Requested);
        // Now and then someone who already signed, typed in another case: one approver counts once.
        var approver = disbursement.Approvals.Count > 0 && _rng.Next(4) == 0
            ? _rng.Pick(disbursement.Approvals).Approver.ToUpperInvariant()
            : _rng.Pick(Approvers);
        // A paper approval names who signed it; the approver sends it, as the importer would.
        var historical = _rng.Next(25) == 0 ? new HistoricalApproval("paper-" + Step.ToString(CultureInfo.InvariantCulture), approver) : null;
        var command = new ApproveDisbursement(award.AwardId, disbursement.Id, approver, Now, historical);
        var text = $"approve #{disbursement.Number} {disbursement.Id} ({disbursement.Status}, {disbursement.Amount} on {disbursement.ReservationLine}, requested by {disbursement.Requester}) as '{command.Approver}'{(historical is null ? "" : " historical")}";
        return Keyed("approve", text, "approver", command.Approver, ctx => _app.SendAsync(command, ctx));
    }

    private Command Reject()
    {
        var (award, disbursement) = PickDisbursement(d => d.IsOpen);
        var command = new RejectDisbursement(award.AwardId, disbursement.Id, "材料不全", _rng.Pick(Approvers), Now);
        return Keyed("reject", $"reject #{disbursement.Number} {disbursement.Id} ({disbursement.Status})", "approver", command.Actor,
            ctx => _app.SendAsync(command, ctx));
    }

    private Command Cancel()
    {
        var (award, disbursement) = PickDisbursement(d => d.IsOpen);
        var command = new CancelDisbursement(award.AwardId, disbursement.Id, "企业申请撤回", _rng.Pick(Requesters), Now);
        return Keyed("cancel", $"cancel #{disbursement.Number} {disbursement.Id} ({disbursement.Status})", "clerk", command.Actor,
            ctx => _app.SendAsync(command, ctx));
    }

    private Command Pay()
    {
        var (award, disbursement) = PickDisbursement(d => d.Status == DisbursementStatus.Approved);
        var valueDate = _rng.Next(10) switch
        {
            // A day the treasury settles on: the working day on or before the day drawn.
            < 7 when disbursement.PlannedYear <= Today.Year => OnOrBeforeWorkingDay(LocalDate.Min(Today, new LocalDate(disbursement.PlannedYear, 12, 31)).PlusDays(-_rng.Next(0, 20))),
            // The last day of the year before the planned one, or the first of the year after: out of the planned year.
            7 => new LocalDate(disbursement.PlannedYear - 1, 12, 31),
            8 => new LocalDate(disbursement.PlannedYear + 1, 1, 1),
            // Around today, on a day the treasury does not settle (or in the future): refused.
            _ => OnOrBeforeNonWorkingDay(Today.PlusDays(_rng.Next(-40, 6))),
        };
        var fresh = $"GK-{Seed}-{Step}";
        var voucher = _rng.Next(20) switch
        {
            // A voucher number already on a payment, as typed or with stray spaces: the database has it.
            < 2 when _vouchers.Count > 0 => _rng.Pick(_vouchers.Order(StringComparer.Ordinal).ToList()),
            2 when _vouchers.Count > 0 => "  " + _rng.Pick(_vouchers.Order(StringComparer.Ordinal).ToList()) + " ",
            3 => "   ",
            _ => fresh,
        };
        var command = new RecordDisbursementPayment(award.AwardId, disbursement.Id, voucher, valueDate, "clerk-li", Now);
        var text = $"pay #{disbursement.Number} {disbursement.Id} ({disbursement.Status}, planned {disbursement.PlannedYear}) voucher '{voucher}' value date {Iso(valueDate)}";
        return Keyed("pay", text, "clerk", command.Actor, ctx => _app.SendAsync(command, ctx), () => _vouchers.Add(voucher.Trim()));
    }

    private LocalDate OnOrBeforeWorkingDay(LocalDate date) =>
        _app.Reference.Calendar.IsWorkingDay(date) ? date : _app.Reference.Calendar.PreviousWorkingDay(date) ?? date;

    private LocalDate OnOrBeforeNonWorkingDay(LocalDate date)
    {
        while (_app.Reference.Calendar.IsWorkingDay(date))
        {
            date = date.PlusDays(-1);
        }
        return date;
    }

    private Command Return()
    {
        var (award, disbursement) = PickDisbursement(d => d.Status == DisbursementStatus.Paid);
        // Mostly between the payment and today; sometimes before the payment or after today (refused).
        var paidOn = disbursement.ValueDate ?? Today;
        var returnedOn = _rng.Next(10) < 7 && paidOn <= Today
            ? paidOn.PlusDays(_rng.Next(0, Period.Between(paidOn, Today, PeriodUnits.Days).Days + 1))
            : Today.PlusDays(-_rng.Next(-2, 30));
        var command = new RecordDisbursementReturn(award.AwardId, disbursement.Id, returnedOn, "账户已销户", "clerk-li", Now);
        var text = $"return #{disbursement.Number} {disbursement.Id} ({disbursement.Status}, paid {disbursement.ValueDate}) on {Iso(returnedOn)}";
        return Keyed("return", text, "clerk", command.Actor, ctx => _app.SendAsync(command, ctx));
    }

    private Command Adjust()
    {
        var key = _rng.Pick(LineKeys);
        var available = Lines.GetValueOrDefault(key)?.Available.Yuan ?? 0m;
        var delta = _rng.Next(5) switch
        {
            0 => -available,
            1 => -available - 0.01m,
            2 => decimal.Round((decimal)(_rng.NextDouble() * 400_000), 2),
            3 => _rng.Pick([0m, 10.001m]),
            _ => -decimal.Round((decimal)(_rng.NextDouble() * 400_000), 2),
        };
        var command = new AdjustBudget(key, delta, "预算调整", "admin", Now);
        return Keyed("adjust", $"adjust {key} by {delta.ToString(CultureInfo.InvariantCulture)} (available {available.ToString(CultureInfo.InvariantCulture)})",
            "admin", "admin", ctx => _app.SendAsync(command, ctx),
            () => ExpectedBudget[key] = ExpectedBudget.GetValueOrDefault(key) with { Adjustments = ExpectedBudget.GetValueOrDefault(key).Adjustments + Money.Of(delta) });
    }

    private Command Appropriate()
    {
        var key = _rng.Pick(LineKeys);
        var amount = _rng.Next(4) == 0 ? 0m : decimal.Round((decimal)(50_000 + _rng.NextDouble() * 500_000), 2);
        var command = new AppropriateBudget(key, amount, "admin", Now);
        return Keyed("appropriate", $"appropriate {key} {amount.ToString(CultureInfo.InvariantCulture)}", "admin", "admin",
            ctx => _app.SendAsync(command, ctx),
            () => ExpectedBudget[key] = ExpectedBudget.GetValueOrDefault(key) with { Appropriated = Money.Of(amount) });
    }

    private Command DemandClawback()
    {
        // Mostly on an award that has paid money to demand back; else anywhere (nothing paid: refused).
        var paid = Awards.Where(a => Accounts[a.AwardId].Award.Funding.Any(f => Accounts[a.AwardId].Reclaimable(f.Level).IsPositive)).ToList();
        var award = paid.Count > 0 && _rng.Next(10) < 8 ? _rng.Pick(paid) : _rng.Pick(Awards);
        var account = Accounts[award.AwardId];
        var levels = account.Award.Funding.Where(f => account.Reclaimable(f.Level).IsPositive).ToList();
        var level = _rng.Pick(levels.Count > 0 && _rng.Next(10) < 8 ? levels : account.Award.Funding).Level;
        var reclaimable = account.Reclaimable(level).Yuan;
        var amount = _rng.Next(5) switch
        {
            0 => reclaimable + 0.01m,
            1 => reclaimable,
            2 => _rng.Pick([0m, -5m, 1.234m]),
            _ => Math.Max(0.01m, decimal.Round(reclaimable * (decimal)_rng.NextDouble(), 2)),
        };
        var command = new DemandClawback(award.AwardId, _rng.NextGuid(), level, amount, "核查不符", "admin", Now);
        return Keyed("demand-clawback", $"demand clawback {amount.ToString(CultureInfo.InvariantCulture)} from {level} of award {award.AwardId} (reclaimable {reclaimable.ToString(CultureInfo.InvariantCulture)})",
            "admin", "admin", ctx => _app.SendAsync(command, ctx));
    }

    private Command Repay()
    {
        var clawbacks = Awards
            .SelectMany(a => Accounts[a.AwardId].Clawbacks.Values.OrderBy(c => c.DemandedAt).ThenBy(c => c.Id).Select(c => (Award: a, Clawback: c)))
            .ToList();
        var voucher = $"JK-{Seed}-{Step}";
        if (clawbacks.Count == 0 || _rng.Next(20) == 0)
        {
            var award = _rng.Pick(Awards);
            var ghost = new RecordClawbackRepayment(award.AwardId, _rng.NextGuid(), 1m, Today, voucher, "clerk-li", Now);
            return Keyed("repay-clawback", $"repay unknown clawback {ghost.ClawbackId}", "clerk", "clerk-li", ctx => _app.SendAsync(ghost, ctx));
        }
        var open = clawbacks.Where(c => !c.Clawback.IsSettled).ToList();
        var (owner, clawback) = _rng.Pick(open.Count > 0 && _rng.Next(10) < 9 ? open : clawbacks);
        var outstanding = clawback.Outstanding.Yuan;
        var amount = _rng.Next(5) switch
        {
            0 => outstanding + 0.01m,
            1 => outstanding,
            2 => outstanding + decimal.Round((decimal)(_rng.NextDouble() * 50_000), 2),
            _ => Math.Max(0.01m, decimal.Round(outstanding * (decimal)_rng.NextDouble(), 2)),
        };
        var command = new RecordClawbackRepayment(owner.AwardId, clawback.Id, amount, Today.PlusDays(-_rng.Next(-1, 10)), voucher, "clerk-li", Now);
        return Keyed("repay-clawback", $"repay {amount.ToString(CultureInfo.InvariantCulture)} on clawback {clawback.Id} (outstanding {outstanding.ToString(CultureInfo.InvariantCulture)}) dated {Iso(command.ValueDate)}",
            "clerk", "clerk-li", ctx => _app.SendAsync(command, ctx));
    }

    private Command Redetermine()
    {
        var award = _rng.Pick(Awards);
        var account = Accounts[award.AwardId];
        var newAmount = decimal.Round(account.Award.Amount.Yuan * (decimal)(0.5 + _rng.NextDouble() * 0.55), 2);
        var command = new RedetermineAward(award.AwardId, Money.Of(newAmount), "核减", "admin", Now);
        return Keyed("redetermine", $"redetermine award {award.AwardId} from {account.Award.Amount} to {command.NewAmount} (paid {account.PaidNetTotal})",
            "admin", "admin", ctx => _app.SendAsync(command, ctx));
    }

    private Command Revoke()
    {
        var award = _rng.Pick(Awards);
        var command = new RevokeDesignation(award.DesignationId, "申报数据造假", Today, _rng.Next(2) == 0, "admin", Now);
        return Keyed("revoke", $"revoke designation {award.DesignationId} of award {award.AwardId} (clawback {command.DemandClawback})",
            "admin", "admin", ctx => _app.SendAsync(command, ctx));
    }

    private Command Retry()
    {
        // An honest retry: the same caller, the same command, the same key.
        var (caller, text, run) = _rng.Pick(_keyed);
        return new Command("retry", $"retry '{caller.IdempotencyKey}': {text}", caller, run, Expect.Replay);
    }

    private Command ReuseKey()
    {
        var (first, text, _) = _rng.Pick(_keyed);
        var key = first.IdempotencyKey;
        var award = _rng.Pick(Awards);
        var command = new RequestDisbursement(award.AwardId, _rng.NextGuid(), 1m, _rng.Pick(Accounts[award.AwardId].Award.Funding).Level, null, "clerk-li", Now);
        return new Command("reuse-key", $"reuse key '{key}' of [{text}] for {Describe(command)}", new Caller("clerk-li", "clerk", key),
            ctx => _app.SendAsync(command, ctx), Expect.KeyConflict);
    }

    /// <summary>Every other command carries a new idempotency key of its own, as every command of the ledger does.</summary>
    private Command Keyed(string kind, string text, string role, string actor, Func<Caller, Task> run, Action? accepted = null) =>
        new(kind, text, new Caller(actor, role, $"rdb-{Seed}-{Step}"), run, Expect.Decide, accepted);

    private static string Describe(RequestDisbursement command) =>
        $"request {command.Amount.ToString(CultureInfo.InvariantCulture)} from {command.Level} of award {command.AwardId} planned {command.PlannedYear?.ToString(CultureInfo.InvariantCulture) ?? "this year"} as {command.Requester} (id {command.DisbursementId})";

    private List<(AwardSetup Award, Disbursement Disbursement)> AllDisbursements() =>
        [.. Awards.SelectMany(a => Accounts[a.AwardId].InOrder.Select(d => (a, d)))];

    /// <summary>Mostly one that <paramref name="preferred"/> likes, sometimes any, and with none at all an unknown id.</summary>
    private (AwardSetup Award, Disbursement Disbursement) PickDisbursement(Func<Disbursement, bool> preferred)
    {
        var all = AllDisbursements();
        var liked = all.Where(x => preferred(x.Disbursement)).ToList();
        if (liked.Count > 0 && _rng.Next(10) < 9)
        {
            return _rng.Pick(liked);
        }
        if (all.Count > 0 && _rng.Next(20) > 0)
        {
            return _rng.Pick(all);
        }
        var award = _rng.Pick(Awards);
        var ghost = new Disbursement(_rng.NextGuid(), 0, Money.Of(1m), FundingLevel.County, TestReference.Haiyan, 2024, Guid.Empty,
            new BankAccount("x", "x", "00000000"), "nobody", Now, DisbursementStatus.Requested, [], null, null, null, null);
        return (award, ghost);
    }


    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
