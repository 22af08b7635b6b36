using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Awards.AwardFixtures;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Disbursements;

/// <summary>
/// Four awards, their designations and nine budget lines, held in memory as event streams and folded states, driven by
/// random commands (valid and invalid) from a seeded <see cref="Random"/>: the same seed always plays the same game.
/// Accepted decisions are appended and folded as a handler would; refused ones must change nothing.
/// </summary>
internal sealed class RandomLedger
{
    public sealed record AwardSetup(AwardDetermined Determined, AwardPolicyState Policy, Enterprise Payee);

    private static readonly string[] Requesters = ["clerk-li", "clerk-zhou", "approver-wang"];
    private static readonly string[] Approvers = ["clerk-li", "approver-wang", "approver-zhao", "approver-sun", "Approver-Sun"];

    private readonly Random _rng;

    public RandomLedger(int seed, int steps)
    {
        _rng = new Random(seed);
        TotalSteps = steps;
        // Chain length alternates with the seed: 2 or 3 approvers at or above the threshold.
        Settings = new ApprovalSettings(Money.Of(300000m), 1, 2 + seed % 2);

        var upToJiaxing = Policies.TestPolicies.Issued(new IssueAwardPolicy(TestReference.Jiaxing, "嘉兴市", Policies.TestPolicies.JiaxingDraft with
        {
            Rules = [new RuleDraft(LittleGiant, AwardTrigger.Recognition, 1_500_000m, AmountKind.UpTo)],
        }, Policies.TestPolicies.Admin, At));
        var history = new History([JiaxingPolicy, XishanPolicy, upToJiaxing]);
        var enterpriseA = Enterprise.Fold(null, Registered(EnterpriseA, Haiyan, AccountA))!;
        var enterpriseB = Enterprise.Fold(null, Registered(EnterpriseB, Xishan, AccountB))!;
        var enterpriseC = Enterprise.Fold(null, Registered(EnterpriseC, Xishan, AccountB))!;
        AwardSetup Setup(AwardDetermined award, Enterprise payee) => new(award, history.Policy(award.PolicyId), payee);
        Awards =
        [
            // Up-to 1,500,000 split city/county, determined just before New Year: publicity runs into January.
            Setup(Determined(Recognition(LittleGiant, D(2023, 12, 28), Haiyan), upToJiaxing), enterpriseA),
            // Fixed 500,000, below Jiaxing's own threshold of 1,000,000 although above the default of 300,000.
            Setup(Determined(Recognition(HiddenChampion, D(2024, 1, 5), Haiyan), JiaxingPolicy), enterpriseA),
            // Up-to 300,000, at the default threshold.
            Setup(Determined(Recognition(Provincial, D(2023, 12, 29), Xishan, EnterpriseB), XishanPolicy), enterpriseB),
            // Up-to 100,000; its publicity crosses the 2024 Spring Festival.
            Setup(Determined(Recognition(Municipal, D(2024, 2, 6), Xishan, EnterpriseC), XishanPolicy), enterpriseC),
        ];
        foreach (var award in Awards)
        {
            var id = award.Determined.AwardId;
            AwardStreams[id] = [award.Determined];
            Accounts[id] = AwardAccount.Fold(AwardAccount.Initial, award.Determined);
            Designations[award.Determined.DesignationId] = DesignationDecider.Evolve(DesignationState.Initial, RecognizedFor(award.Determined));
        }
        LineKeys =
        [
            .. new[] { 2024, 2025, 2026 }.SelectMany(year => new BudgetLineKey[]
            {
                new(TestReference.Jiaxing, year, FundingLevel.City),
                new(Haiyan, year, FundingLevel.County),
                new(Xishan, year, FundingLevel.County),
            }),
        ];
    }

    public int TotalSteps { get; }
    public int Step { get; private set; }
    public Instant Now { get; private set; } = Instant.FromUtc(2024, 1, 2, 1, 0);
    public LocalDate Today => ChinaTime.DateOf(Now);
    public ApprovalSettings Settings { get; }
    public IReadOnlyList<AwardSetup> Awards { get; }
    public IReadOnlyList<BudgetLineKey> LineKeys { get; }

    public Dictionary<Guid, List<object>> AwardStreams { get; } = [];
    public Dictionary<Guid, AwardAccount> Accounts { get; } = [];
    public Dictionary<Guid, DesignationState> Designations { get; } = [];
    public Dictionary<BudgetLineKey, List<IBudgetEvent>> LineStreams { get; } = [];
    public Dictionary<BudgetLineKey, BudgetLine> Lines { get; } = [];

    public Dictionary<string, int> Accepted { get; } = [];
    public Dictionary<string, int> Refused { get; } = [];
    public HashSet<string> RefusalCodes { get; } = [];

    public BudgetLine Line(BudgetLineKey key) => Lines.GetValueOrDefault(key) ?? BudgetLine.Initial(key);

    /// <summary>Plays one random command. Returns what was decided, or the refusal.</summary>
    public (string Kind, Decision? Decision, DomainException? Refusal) Next()
    {
        Step++;
        Now += Duration.FromMinutes(_rng.Next(0, 18 * 60));
        var (kind, decide) = Choose();
        try
        {
            var (decision, revoked) = decide();
            Apply(decision, revoked);
            Accepted[kind] = Accepted.GetValueOrDefault(kind) + 1;
            return (kind, decision, null);
        }
        catch (DomainException refusal)
        {
            Refused[kind] = Refused.GetValueOrDefault(kind) + 1;
            RefusalCodes.Add(refusal.Code);
            return (kind, null, refusal);
        }
    }

    private void Apply(Decision decision, DesignationRevoked? revoked)
    {
        if (revoked is not null)
        {
            Designations[revoked.DesignationId] = DesignationDecider.Evolve(Designations[revoked.DesignationId], revoked);
        }
        foreach (var @event in decision.AwardEvents)
        {
            var awardId = @event switch
            {
                IAwardEvent e => e.AwardId,
                IAwardAccountEvent e => e.AwardId,
                _ => throw new InvalidOperationException($"{@event.GetType().Name} is not an award stream event"),
            };
            AwardStreams[awardId].Add(@event);
            Accounts[awardId] = AwardAccount.Fold(Accounts[awardId], @event);
        }
        foreach (var (key, @event) in decision.BudgetEvents)
        {
            @event.BudgetLineId.ShouldBe(BudgetLineKey.StreamId(key));
            if (!LineStreams.TryGetValue(key, out var stream))
            {
                LineStreams[key] = stream = [];
            }
            stream.Add(@event);
            Lines[key] = BudgetLine.Evolve(Line(key), @event);
        }
    }

    private (string, Func<(Decision, DesignationRevoked?)>) Choose()
    {
        // Cancelling an award and revoking a designation end an award for good: keep them for the last fifth.
        var late = Step > TotalSteps * 4 / 5;
        var roll = _rng.Next(1000);
        return roll switch
        {
            < 200 => ("request", () => (RequestOne(), null)),
            < 450 => ("approve", () => (ApproveOne(), null)),
            < 490 => ("reject", () => (RejectOne(), null)),
            < 530 => ("cancel", () => (CancelOne(), null)),
            < 680 => ("pay", () => (PayOne(), null)),
            < 720 => ("return", () => (ReturnOne(), null)),
            < 770 => ("appropriate", () => (AppropriateOne(), null)),
            < 830 => ("adjust", () => (AdjustOne(), null)),
            < 870 => ("demand-clawback", () => (DemandOne(), null)),
            < 930 => ("repay-clawback", () => (RepayOne(), null)),
            < 960 => ("redetermine", () => (RedetermineOne(), null)),
            < 965 when late => ("cancel-award", () => (CancelAwardOne(), null)),
            < 970 when late => ("revoke", RevokeOne),
            _ => ("request", () => (RequestOne(), null)),
        };
    }

    private Decision RequestOne()
    {
        var award = _rng.Pick(Awards);
        var account = Accounts[award.Determined.AwardId];
        var level = _rng.Next(10) < 8 ? _rng.Pick(award.Determined.Funding).Level : _rng.Pick([FundingLevel.City, FundingLevel.County, FundingLevel.Province]);
        var room = account.Uncommitted(level).Yuan;
        var amount = _rng.Next(10) switch
        {
            < 6 => Math.Max(0.01m, decimal.Round(room * (decimal)_rng.NextDouble(), 2)),
            6 => room,
            7 => room + 0.01m,
            8 => _rng.Pick([0m, -1m, 100.001m]),
            _ => decimal.Round((decimal)(_rng.NextDouble() * 800000), 2),
        };
        int? plannedYear = _rng.Next(10) switch
        {
            < 6 => null,
            < 9 => Today.Year + _rng.Next(0, 2),
            _ => 2023,
        };
        var id = _rng.Next(20) == 0 && AllDisbursements().Count > 0 ? _rng.Pick(AllDisbursements()).Disbursement.Id : _rng.NextGuid();
        return DisbursementDecider.Decide(
            new RequestDisbursement(award.Determined.AwardId, id, amount, level, plannedYear, _rng.Pick(Requesters), Now),
            account, Designation(award), award.Payee);
    }

    private Decision ApproveOne()
    {
        var (award, disbursement) = PickDisbursement(d => d.Status == DisbursementStatus.Requested);
        var approver = _rng.Pick(Approvers);
        // A paper approval is imported by "importer" and names who signed it.
        var historical = _rng.Next(25) == 0 ? new HistoricalApproval("import-" + Step, approver) : null;
        return DisbursementDecider.Decide(
            new ApproveDisbursement(award.Determined.AwardId, disbursement.Id, historical is null ? approver : "importer", Now, historical),
            Accounts[award.Determined.AwardId], Designation(award), award.Policy, Line(disbursement.ReservationLine), Settings, Calendar);
    }

    private Decision RejectOne()
    {
        var (award, disbursement) = PickDisbursement(d => d.IsOpen);
        return DisbursementDecider.Decide(
            new RejectDisbursement(award.Determined.AwardId, disbursement.Id, "材料不全", _rng.Pick(Approvers), Now), Accounts[award.Determined.AwardId]);
    }

    private Decision CancelOne()
    {
        var (award, disbursement) = PickDisbursement(d => d.IsOpen);
        return DisbursementDecider.Decide(
            new CancelDisbursement(award.Determined.AwardId, disbursement.Id, "企业申请撤回", _rng.Pick(Requesters), Now), Accounts[award.Determined.AwardId]);
    }

    private Decision PayOne()
    {
        var (award, disbursement) = PickDisbursement(d => d.Status == DisbursementStatus.Approved);
        var valueDate = _rng.Next(10) < 7 && disbursement.PlannedYear <= Today.Year
            ? LocalDate.Min(Today, new LocalDate(disbursement.PlannedYear, 12, 31)).PlusDays(-_rng.Next(0, 20))
            : Today.PlusDays(_rng.Next(-40, 6));
        return DisbursementDecider.Decide(
            new RecordDisbursementPayment(award.Determined.AwardId, disbursement.Id, "GK-" + Step, valueDate, "clerk-li", Now),
            Accounts[award.Determined.AwardId], Designation(award), award.Payee, Calendar);
    }

    private Decision ReturnOne()
    {
        var (award, disbursement) = PickDisbursement(d => d.Status == DisbursementStatus.Paid);
        var returnedOn = Today.PlusDays(-_rng.Next(-2, 30));
        return DisbursementDecider.Decide(
            new RecordDisbursementReturn(award.Determined.AwardId, disbursement.Id, returnedOn, "账户已销户", "clerk-li", Now),
            Accounts[award.Determined.AwardId]);
    }

    private Decision AppropriateOne()
    {
        var key = _rng.Pick(LineKeys);
        var amount = _rng.Next(5) == 0 ? 0m : decimal.Round((decimal)(50000 + _rng.NextDouble() * 1_500_000), 2);
        var appropriated = BudgetDecider.Decide(new AppropriateBudget(key, amount, "admin", Now), Line(key), Data);
        return new Decision([], [(key, appropriated)]);
    }

    private Decision AdjustOne()
    {
        var key = _rng.Pick(LineKeys);
        var line = Line(key);
        var delta = _rng.Next(4) switch
        {
            0 => -line.Available.Yuan,
            1 => -line.Available.Yuan - 0.01m,
            2 => decimal.Round((decimal)(_rng.NextDouble() * 400000), 2),
            _ => -decimal.Round((decimal)(_rng.NextDouble() * 400000), 2),
        };
        var adjusted = BudgetDecider.Decide(new AdjustBudget(key, delta, "预算调整", "admin", Now), line);
        return new Decision([], [(key, adjusted)]);
    }

    private Decision DemandOne()
    {
        var award = _rng.Pick(Awards);
        var account = Accounts[award.Determined.AwardId];
        var level = _rng.Pick(award.Determined.Funding).Level;
        var reclaimable = account.Reclaimable(level).Yuan;
        var amount = _rng.Next(4) switch
        {
            0 => reclaimable + 0.01m,
            1 => reclaimable,
            _ => decimal.Round(reclaimable * (decimal)_rng.NextDouble(), 2),
        };
        return ClawbackDecider.Decide(new DemandClawback(award.Determined.AwardId, _rng.NextGuid(), level, amount, "核查不符", "admin", Now), account);
    }

    private Decision RepayOne()
    {
        var clawbacks = Awards
            .SelectMany(a => Accounts[a.Determined.AwardId].Clawbacks.Values.OrderBy(c => c.DemandedAt).ThenBy(c => c.Id).Select(c => (Award: a, Clawback: c)))
            .ToList();
        if (clawbacks.Count == 0)
        {
            var award = _rng.Pick(Awards);
            return ClawbackDecider.Decide(
                new RecordClawbackRepayment(award.Determined.AwardId, _rng.NextGuid(), 1m, Today, "JK-" + Step, "clerk-li", Now), Accounts[award.Determined.AwardId]);
        }
        var (owner, clawback) = _rng.Pick(clawbacks);
        var outstanding = clawback.Outstanding.Yuan;
        var amount = _rng.Next(4) switch
        {
            0 => outstanding + 0.01m,
            1 => outstanding,
            _ => Math.Max(0.01m, decimal.Round(outstanding * (decimal)_rng.NextDouble(), 2)),
        };
        return ClawbackDecider.Decide(
            new RecordClawbackRepayment(owner.Determined.AwardId, clawback.Id, amount, Today.PlusDays(-_rng.Next(-1, 10)), "JK-" + Step, "clerk-li", Now),
            Accounts[owner.Determined.AwardId]);
    }

    private Decision RedetermineOne()
    {
        var award = _rng.Pick(Awards);
        var account = Accounts[award.Determined.AwardId];
        var newAmount = decimal.Round(account.Award.Amount.Yuan * (decimal)(0.5 + _rng.NextDouble() * 0.55), 2);
        return AwardAccountDecider.Decide(new RedetermineAward(award.Determined.AwardId, Money.Of(newAmount), "核减", "admin", Now), account);
    }

    private Decision CancelAwardOne()
    {
        var award = _rng.Pick(Awards);
        return AwardAccountDecider.Decide(new CancelAward(award.Determined.AwardId, "重复认定", "admin", Now), Accounts[award.Determined.AwardId]);
    }

    private (Decision, DesignationRevoked?) RevokeOne()
    {
        var award = _rng.Pick(Awards);
        var revoked = DesignationDecider.Decide(
            new RevokeDesignation(award.Determined.DesignationId, "申报数据造假", Today, _rng.Next(2) == 0, "admin", Now), Designation(award));
        // The designation's revocation and what it means for the award are two commits in production (a process
        // reacts to the first); here they land together, which is the state the process converges to.
        return (AwardAccountDecider.Revoke(Accounts[award.Determined.AwardId], revoked, "revocation", Now), revoked);
    }

    private DesignationState Designation(AwardSetup award) => Designations[award.Determined.DesignationId];

    private List<(AwardSetup Award, Disbursement Disbursement)> AllDisbursements() =>
        [.. Awards.SelectMany(a => Accounts[a.Determined.AwardId].InOrder.Select(d => (a, d)))];

    /// <summary>Mostly one that <paramref name="preferred"/> likes, sometimes any, and with none at all an unknown id.</summary>
    private (AwardSetup Award, Disbursement Disbursement) PickDisbursement(Func<Disbursement, bool> preferred)
    {
        var all = AllDisbursements();
        var liked = all.Where(x => preferred(x.Disbursement)).ToList();
        if (liked.Count > 0 && _rng.Next(10) < 9)
        {
            return _rng.Pick(liked);
        }
        if (all.Count > 0)
        {
            return _rng.Pick(all);
        }
        var award = _rng.Pick(Awards);
        var ghost = new Disbursement(_rng.NextGuid(), 0, Money.Of(1m), FundingLevel.County, Haiyan, 2024, EnterpriseA, AccountA, "nobody", Now,
            DisbursementStatus.Requested, [], null, null, null, null);
        return (award, ghost);
    }

}
