using System.Globalization;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Benchmarks;

/// <summary>The plans: policies, enterprises and their awards, drawn from a seeded random source; and what the reports should say of them.</summary>
public sealed partial class ReadSideLoader
{
    /// <summary>What the totals of each fiscal year should be, from the plans.</summary>
    public IReadOnlyDictionary<int, ExpectedYear> Expected()
    {
        var expected = new Dictionary<int, ExpectedYear>();
        ExpectedYear Of(int year) => expected.TryGetValue(year, out var e) ? e : new(Money.Zero, Money.Zero, Money.Zero, Money.Zero, 0, 0);
        foreach (var plan in Enterprises)
        {
            foreach (var award in plan.Awards)
            {
                // Re-determined in the year it was determined, so the year's determined total is the lowered amount.
                var year = Of(award.Determined.DeterminationDate.Year);
                expected[award.Determined.DeterminationDate.Year] = year with { Determined = year.Determined + award.Amount };
                foreach (var tranche in award.Tranches)
                {
                    var paid = Of(tranche.ValueDate.Year);
                    expected[tranche.ValueDate.Year] = paid with { Paid = paid.Paid + tranche.Share.Amount };
                    if (tranche.ReturnedOn is { } returnedOn)
                    {
                        var back = Of(returnedOn.Year);
                        expected[returnedOn.Year] = back with { Returned = back.Returned + tranche.Share.Amount };
                    }
                }
                if (award.Clawback is { } clawback)
                {
                    var repaid = Of(clawback.RepaidOn.Year);
                    expected[clawback.RepaidOn.Year] = repaid with { Repaid = repaid.Repaid + clawback.Share.Amount };
                }
            }
        }
        foreach (var year in expected.Keys.ToList())
        {
            // Counted as the report counts on the paid basis: awards and enterprises with a payment by value date in the year.
            var awards = Enterprises.SelectMany(p => p.Awards.Select(a => (p.EnterpriseId, a)))
                .Where(x => x.a.Tranches.Any(t => t.ValueDate.Year == year)).ToList();
            expected[year] = expected[year] with
            {
                Awards = awards.Select(x => x.a.Determined.AwardId).Distinct().Count(),
                Enterprises = awards.Select(x => x.EnterpriseId).Distinct().Count(),
            };
        }
        return expected;
    }

    private List<AwardPolicyIssued> IssuePolicies()
    {
        var provinces = new SortedSet<string>(StringComparer.Ordinal);
        var cities = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var county in Counties)
        {
            for (var d = _reference.FindDivision(county); d is not null; d = d.ParentCode is null ? null : _reference.FindDivision(d.ParentCode))
            {
                if (d.Level == DivisionLevel.Province)
                {
                    provinces.Add(d.Code);
                }
                else if (d.Level == DivisionLevel.City)
                {
                    cities.Add(d.Code);
                }
            }
        }
        RuleDraft Rule(string tier, decimal amount, AmountKind kind) => new(tier, AwardTrigger.Recognition, amount, kind);
        var issued = new List<AwardPolicyIssued>();
        void Issue(string issuer, Stacking stacking, FundingShare[] split, RuleDraft[] rules, int number)
        {
            var name = _reference.FindDivision(issuer)!.Name;
            var document = string.Create(CultureInfo.InvariantCulture, $"{name}政发〔2020〕{number}号");
            var draft = new PolicyDraft($"{name}关于支持专精特新企业高质量发展的若干政策", document, PolicyFrom, PolicyFrom, null,
                rules, stacking, split, 5, null);
            var command = new IssueAwardPolicy(issuer, $"{name}人民政府", draft, $"admin-{issuer}", At(PolicyFrom.PlusDays(-10), 9));
            // The decider validates the terms exactly as `ledger` would before issuing them.
            issued.Add(AwardPolicyDecider.Decide(command, AwardPolicyState.Initial, _reference));
        }
        foreach (var province in provinces)
        {
            Issue(province, Stacking.HighestOnly, [new FundingShare(FundingLevel.Province, 100m)],
                [Rule("provincial-srdi", 200_000m, AmountKind.Fixed), Rule("national-little-giant", 500_000m, AmountKind.Fixed),
                    Rule("provincial-hidden-champion", 300_000m, AmountKind.Fixed), Rule("national-single-champion", 1_000_000m, AmountKind.Fixed)], 8);
        }
        foreach (var city in cities)
        {
            Issue(city, Stacking.Cumulative, [new FundingShare(FundingLevel.City, 50m), new FundingShare(FundingLevel.County, 50m)],
                [Rule("innovative-sme", 50_000m, AmountKind.UpTo), Rule("municipal-srdi", 100_000m, AmountKind.UpTo),
                    Rule("provincial-srdi", 200_000m, AmountKind.UpTo), Rule("national-little-giant", 500_000m, AmountKind.UpTo),
                    Rule("national-single-champion", 500_000m, AmountKind.UpTo)], 21);
        }
        for (var i = 0; i < Counties.Count; i += 4)
        {
            Issue(Counties[i], Stacking.Cumulative, [new FundingShare(FundingLevel.County, 100m)],
                [Rule("municipal-srdi", 50_000m, AmountKind.Fixed), Rule("provincial-srdi", 100_000m, AmountKind.Fixed),
                    Rule("national-little-giant", 300_000m, AmountKind.Fixed), Rule("provincial-hidden-champion", 200_000m, AmountKind.Fixed)], 33);
        }
        return issued;
    }

    private EnterprisePlan PlanEnterprise()
    {
        var serial = ++_serial;
        var county = Counties[_random.Next(Counties.Count)];
        var recognizedOn = new LocalDate(Years[_random.Next(Years.Count)], 1, 5).PlusDays(_random.Next(0, 269));
        var tier = Tier(recognizedOn);
        var uscc = UsccFor(county, serial);
        var enterpriseId = Enterprise.StreamIdFor(Ledger.Enterprises.Uscc.Parse(uscc));
        var countyName = _reference.FindDivision(county)!.Name;
        var name = $"{countyName.TrimEnd('区', '县', '市')}{Trades[_random.Next(Trades.Length)]}有限公司";
        var account = new BankAccount($"中国工商银行{countyName}支行", name, string.Create(CultureInfo.InvariantCulture, $"1103{county}{serial:D8}"));
        var designationId = DesignationDecider.StreamId(enterpriseId, tier, 1);
        var fact = new AwardTriggerFact(designationId, enterpriseId, county, tier, AwardTrigger.Recognition, recognizedOn);
        var awards = new List<AwardPlan>();
        foreach (var (policy, stacking) in _covering[county])
        {
            if (AwardCalculator.Determine(fact, policy, [], _reference, "system", At(recognizedOn, 9)) is { } determined)
            {
                awards.Add(PlanAward(determined, stacking, policy));
            }
        }
        return new EnterprisePlan(uscc, enterpriseId, name, county, tier, designationId, recognizedOn, account, awards);
    }

    private AwardPlan PlanAward(AwardDetermined determined, Stacking stacking, AwardPolicyState policy)
    {
        var amount = determined.Amount;
        var funding = determined.Funding;
        if (determined.Rule.Kind == AmountKind.UpTo && _random.NextDouble() < RedeterminedShare)
        {
            amount = Money.Of(decimal.Round(amount.Yuan * 0.8m, 0));
            funding = FundingSplit.Apportion(amount, funding);
        }
        // Requests wait out the publicity period (5 working days; 20 days covers the longest holiday).
        var requestedOn = determined.DeterminationDate.PlusDays(20 + _random.Next(16));
        var tranches = funding.Select(share =>
        {
            var approvedOn = requestedOn.PlusDays(1 + _random.Next(5));
            var valueDate = WorkingDay(approvedOn.PlusDays(3 + _random.Next(18)));
            LocalDate? returnedOn = _random.NextDouble() < ReturnedShare ? WorkingDay(valueDate.PlusDays(5 + _random.Next(8))) : null;
            return new TranchePlan(NewGuid(), share, approvedOn, valueDate, string.Create(CultureInfo.InvariantCulture, $"GK{valueDate.Year}{++_vouchers:D9}"), returnedOn);
        }).ToList();
        ClawbackPlan? clawback = null;
        if (_random.NextDouble() < ClawedBackShare && tranches.FirstOrDefault(t => t.ReturnedOn is null) is { } kept)
        {
            var demandedOn = kept.ValueDate.PlusDays(5 + _random.Next(6));
            var repaidOn = WorkingDay(demandedOn.PlusDays(3 + _random.Next(8)));
            clawback = new ClawbackPlan(NewGuid(), kept.Share, demandedOn, repaidOn, string.Create(CultureInfo.InvariantCulture, $"JK{repaidOn.Year}{++_vouchers:D9}"));
        }
        var approvals = LedgerApp.DefaultApprovals.RequiredApprovals(amount, policy.VersionFor(determined.TriggerDate).Terms);
        return new AwardPlan(determined, stacking, amount, funding, approvals, requestedOn, tranches, clawback);
    }

    /// <summary>A tier by the mix, among those that existed on <paramref name="date"/> (innovative SMEs only from 2022-06-01).</summary>
    private string Tier(LocalDate date)
    {
        var existing = TierMix.Where(t => _reference.FindTier(t.Tier)!.ExistsOn(date)).ToList();
        var pick = _random.Next(existing.Sum(t => t.Weight));
        foreach (var (tier, weight) in existing)
        {
            if ((pick -= weight) < 0)
            {
                return tier;
            }
        }
        return existing[^1].Tier;
    }

    /// <summary>The treasury settles on working days only: the day itself or the next working day.</summary>
    private LocalDate WorkingDay(LocalDate date) =>
        _reference.Calendar.IsWorkingDay(date) ? date : _reference.Calendar.NextWorkingDay(date) ?? date;

    private Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>A valid USCC registered in <paramref name="division"/>: 17 characters made up, the check character computed.</summary>
    public static string UsccFor(string division, int serial)
    {
        var first17 = string.Create(CultureInfo.InvariantCulture, $"91{division}{serial:D8}X");
        return first17 + Ledger.Enterprises.Uscc.CheckCharacter(first17);
    }
}
