using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Imports.Generation;

/// <summary>
/// The demo dataset (src/Ledger.Cli/Demo/dataset, SOURCES.md there): fictional enterprises of 无锡市锡山区 under the Xishan
/// policy and of 嘉兴市's counties under the Jiaxing policy, built so the published figures reconcile — Xishan's 2022
/// payments sum to exactly 37,100,000.00 元 held by 217 SRDI enterprises at the end of 2022, and Jiaxing holds 104 little
/// giants then. The enterprises come in cohorts, each a path through the lists (DemoDataset.Cohorts.cs); the awards
/// come from the ledger's own award rules, and <see cref="Write"/> refuses to write a dataset that misses a figure.
/// </summary>
public static partial class DemoDataset
{
    public const string XishanCode = "320205";
    public const string JiaxingCode = "330400";
    public const int Year = 2022;
    public static readonly Money XishanPaid2022 = Money.Of(37_100_000m);
    public const int XishanStock2022 = 217;
    public const int JiaxingLittleGiants2022 = 104;

    /// <summary>The Xishan and Jiaxing rows of the shared published-figures.csv, as they are.</summary>
    private static readonly string[][] Figures =
    [
        ["320205", "无锡市锡山区", "2022", "srdi_reward_total", "37100000", "yuan", "paid", "seeds/002_9915ebdee877c537.txt", "2022年锡山对“专精特新”企业奖励资金合计达3710万元"],
        ["320205", "无锡市锡山区", "2022", "srdi_enterprise_count", "217", "enterprises", "stock", "seeds/002_9915ebdee877c537.txt", "去年锡山区区217家“专精特新”企业实现产值721亿元"],
        ["330400", "嘉兴市", "2022", "national_little_giant_count", "104", "enterprises", "stock", "seeds/000_622cd2c2c2c03fd9.txt", "2022年嘉兴市国家级专精特新“小巨人”企业累计达到104家"],
    ];

    private static readonly string[] FigureColumns = ["jurisdiction_code", "jurisdiction_name", "year", "measure", "value", "unit", "basis", "source", "quote"];

    /// <summary>Writes the dataset's files into <paramref name="directory"/>, published-figures.csv included.</summary>
    public static GenerationResult Write(ReferenceData reference, PublishedMeasures measures, string directory)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(measures);
        var build = new Build(reference);
        build.Run();
        build.Check(measures);

        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var writer = new ImportFileWriter(directory))
        {
            foreach (var policy in build.Policies)
            {
                writer.Write(policy);
            }
            build.Enterprises.ForEach(writer.Write);
            foreach (var (line, charged) in build.Tally.Lines)
            {
                writer.Write(new BudgetRow(line, BudgetTally.Appropriation(charged, 1.15m, Money.Of(1_000_000m))));
            }
            build.Recognitions.ForEach(writer.Write);
            build.Lowerings.ForEach(writer.Write);
            build.Payments.ForEach(writer.Write);
            build.Returns.ForEach(writer.Write);
            build.Clawbacks.ForEach(writer.Write);
            foreach (var (file, count) in writer.Rows)
            {
                rows[file] = count;
            }
        }
        using (var csv = new CsvWriter(
            new StreamWriter(Path.Combine(directory, ImportFileFormat.PublishedFigures), false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)),
            new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" }))
        {
            foreach (var row in new[] { FigureColumns }.Concat(Figures))
            {
                foreach (var field in row)
                {
                    csv.WriteField(field);
                }
                csv.NextRecord();
            }
        }
        rows[ImportFileFormat.PublishedFigures] = Figures.Length;
        return new GenerationResult(rows);
    }

    /// <summary>One list (名单) of a tier as published: its day, the authority as printed, the document.</summary>
    private sealed record Listing(string Tier, AwardTrigger Trigger, LocalDate On, string Authority, string DocumentNo);

    /// <summary>How a cohort is paid on one share: the first <c>Count</c> members on <c>On</c>, the next ones on the next day (null: not paid).</summary>
    private sealed record Plan(params (int Count, LocalDate? On)[] Tranches)
    {
        public LocalDate? For(int member)
        {
            foreach (var (count, on) in Tranches)
            {
                if (member < count)
                {
                    return on;
                }
                member -= count;
            }
            throw new InvalidOperationException($"the plan ({Tranches.Sum(t => t.Count)} members) does not cover member {member}");
        }

        public int Members => Tranches.Sum(t => t.Count);
    }

    /// <summary>A listing some members of a cohort are on (the first <see cref="Members"/>), and how the award it earns is paid per level.</summary>
    private sealed record Step(Listing Listing, Plan? County = null, Plan? City = null, int Members = int.MaxValue);

    /// <summary>Enterprises that went the same way: on the same listings, paid alike. Members go round the counties.</summary>
    private sealed record Cohort(string Label, int Count, string[] Counties, params Step[] Steps);

    /// <summary>An award lowered, named by cohort, member and tier.</summary>
    private sealed record Lowering(string Cohort, int Member, string Tier, decimal Amount, string Reason);

    private sealed record Return(string Cohort, int Member, string Tier, FundingLevel Level, LocalDate On, string Reason, LocalDate? PaidAgainOn);

    private sealed record Claw(string Cohort, int Member, string Tier, FundingLevel Level, decimal Amount, LocalDate DemandedOn, string Reason,
        decimal? Repaid, LocalDate? RepaidOn);

    private sealed class Build(ReferenceData reference)
    {
        private readonly AwardBook _book = new(reference);
        private readonly List<(string Uscc, string County, Listing Listing)> _facts = [];
        private int _serial;

        public List<PolicyRow> Policies { get; } = [];

        public List<EnterpriseRow> Enterprises { get; } = [];

        public List<RecognitionRow> Recognitions { get; } = [];

        public List<LoweringRow> Lowerings { get; } = [];

        public List<PaymentRow> Payments { get; } = [];

        public List<ReturnRow> Returns { get; } = [];

        public List<ClawbackRow> Clawbacks { get; } = [];

        public BudgetTally Tally { get; } = new();

        public void Run()
        {
            var policies = new[] { XishanPolicy, JiaxingPolicy };
            Policies.AddRange(policies);
            var states = policies.ToDictionary(
                p => p.PolicyKey,
                p => new AwardPolicyState(AwardPolicyDecider.StreamId(p.IssuerCode, p.Terms.DocumentNumber), p.IssuerCode,
                    reference.FindDivision(p.IssuerCode)!.Name, [new PolicyVersion(1, p.Terms)], null, 1));
            foreach (var cohort in Cohorts)
            {
                foreach (var step in cohort.Steps)
                {
                    foreach (var plan in new[] { step.County, step.City }.OfType<Plan>())
                    {
                        if (plan.Members != Math.Min(step.Members, cohort.Count))
                        {
                            throw new InvalidOperationException($"{cohort.Label}: the plan for {step.Listing.Tier} {step.Listing.On} pays {plan.Members} members of {Math.Min(step.Members, cohort.Count)}");
                        }
                    }
                }
                for (var member = 0; member < cohort.Count; member++)
                {
                    Member(cohort, member, states);
                }
            }
        }

        private void Member(Cohort cohort, int member, Dictionary<string, AwardPolicyState> policies)
        {
            var county = cohort.Counties[member % cohort.Counties.Length];
            var (uscc, name, industry, bank) = Enterprise(county);
            Enterprises.Add(new EnterpriseRow(uscc, name, county, industry, bank));
            var enterpriseId = Ledger.Enterprises.Enterprise.StreamIdFor(Uscc.Parse(uscc));
            var steps = cohort.Steps.Where(s => member < s.Members).ToList();
            _book.Clear();
            foreach (var step in steps)
            {
                var l = step.Listing;
                Recognitions.Add(new RecognitionRow(uscc, l.Tier, l.Trigger, l.On, l.Authority, l.DocumentNo, null));
                _facts.Add((uscc, county, l));
                var policy = policies.Values.Single(p => reference.IsWithin(county, p.IssuerCode));
                var policyRow = Policies.Single(p => p.IssuerCode == policy.IssuerCode);
                if (_book.Determine(policy, enterpriseId, county, l.Tier, l.Trigger, l.On) is not { } award)
                {
                    if (step.County is not null || step.City is not null)
                    {
                        throw new InvalidOperationException($"{cohort.Label} #{member}: {l.Tier} {l.On} earns no award, yet the cohort plans to pay it");
                    }
                    continue;
                }
                var awardReference = new AwardReference(uscc, l.Tier, l.Trigger, l.On);
                if (DemoLowerings.SingleOrDefault(x => x.Cohort == cohort.Label && x.Member == member && x.Tier == l.Tier) is { } lowering)
                {
                    award = _book.Lower(award, Money.Of(lowering.Amount), lowering.Reason);
                    Lowerings.Add(new LoweringRow(awardReference, policyRow.PolicyKey, award.Amount, lowering.Reason));
                }
                var first = reference.Calendar.FirstApprovalDate(award.DeterminationDate, policyRow.Terms.PublicityWorkingDays);
                foreach (var share in award.Funding)
                {
                    var plan = share.Level == FundingLevel.City ? step.City : step.County;
                    if (plan?.For(member) is not { } on)
                    {
                        continue;
                    }
                    if (on < first || !reference.Calendar.IsWorkingDay(on))
                    {
                        throw new InvalidOperationException($"{cohort.Label} #{member}: {l.Tier} paid on {on}, before its first approval day {first} or not a working day");
                    }
                    var voucher = Pay(awardReference, policyRow.PolicyKey, share, share.Amount, on);
                    if (DemoReturns.SingleOrDefault(x => x.Cohort == cohort.Label && x.Member == member && x.Tier == l.Tier && x.Level == share.Level) is { } returned)
                    {
                        Returns.Add(new ReturnRow(voucher, returned.On, returned.Reason));
                        Tally.Touch(new BudgetLineKey(share.DivisionCode, returned.On.Year, share.Level));
                        if (returned.PaidAgainOn is { } again)
                        {
                            Pay(awardReference, policyRow.PolicyKey, share, share.Amount, again);
                        }
                    }
                    if (DemoClawbacks.SingleOrDefault(x => x.Cohort == cohort.Label && x.Member == member && x.Tier == l.Tier && x.Level == share.Level) is { } claw)
                    {
                        string? repaymentVoucher = null;
                        if (claw.RepaidOn is { } repaidOn)
                        {
                            Tally.Touch(new BudgetLineKey(share.DivisionCode, repaidOn.Year, share.Level));
                            repaymentVoucher = Tally.NextVoucher(share.DivisionCode, repaidOn.Year, "JK");
                        }
                        Clawbacks.Add(new ClawbackRow(awardReference, policyRow.PolicyKey, share.Level, Money.Of(claw.Amount), claw.DemandedOn, claw.Reason,
                            claw.Repaid is { } r ? Money.Of(r) : null, claw.RepaidOn, repaymentVoucher));
                    }
                }
            }
        }

        private string Pay(AwardReference award, string policyKey, FundingAmount share, Money amount, LocalDate on)
        {
            var voucher = Tally.NextVoucher(share.DivisionCode, on.Year);
            Payments.Add(new PaymentRow(award, policyKey, amount, share.Level, on, voucher, null));
            Tally.Charge(new BudgetLineKey(share.DivisionCode, on.Year, share.Level), amount);
            return voucher;
        }

        /// <summary>A fictional enterprise: 示例 + two words + trade, an MA-series USCC of its county with a valid check character.</summary>
        private (string Uscc, string Name, string Industry, BankAccount Bank) Enterprise(string county)
        {
            var i = _serial++;
            var first = i % NameWords.Length;
            var (industry, trade) = Trades[(i / NameWords.Length + first) % Trades.Length];
            var name = $"示例{NameWords[first]}{trade}有限公司";
            var first17 = string.Create(CultureInfo.InvariantCulture, $"91{county}MA1{i + 1:D5}X");
            var uscc = first17 + Uscc.CheckCharacter(first17);
            var bank = new BankAccount($"{Banks[i % Banks.Length]}{reference.FindDivision(county)!.Name}支行", name,
                string.Create(CultureInfo.InvariantCulture, $"6222{county}{i + 1:D9}"));
            return (uscc, name, industry, bank);
        }

        /// <summary>Refuses a dataset that misses a published figure or holds more Xishan enterprises than the published stock.</summary>
        public void Check(PublishedMeasures measures)
        {
            var xishan = Enterprises.Where(e => e.CountyCode == XishanCode).Select(e => e.Uscc).ToHashSet(StringComparer.Ordinal);
            var payments = Payments.Where(p => xishan.Contains(p.Award.Uscc)).ToList();
            var paid = payments.Where(p => p.PaidOn.Year == Year).Aggregate(Money.Zero, (sum, p) => sum + p.Amount);
            if (paid != XishanPaid2022)
            {
                throw new InvalidOperationException($"Xishan's {Year} payments sum to {paid}, not {XishanPaid2022}");
            }
            // The published figure is paid money; a return or a repayment in the year would take it below the payments.
            if (Returns.Any(r => r.ReturnedOn.Year == Year && payments.Any(p => p.Voucher == r.Voucher))
                || Clawbacks.Any(c => c.RepaidOn?.Year == Year && xishan.Contains(c.Award.Uscc)))
            {
                throw new InvalidOperationException($"a Xishan return or clawback repayment in {Year} would make its net payments differ from {XishanPaid2022}");
            }
            if (xishan.Count > XishanStock2022)
            {
                throw new InvalidOperationException($"{xishan.Count} Xishan enterprises, more than the {XishanStock2022} published");
            }
            var stock = Stock(measures.Find("srdi_enterprise_count")!.Tiers, c => c == XishanCode);
            var giants = Stock(measures.Find("national_little_giant_count")!.Tiers, c => reference.IsWithin(c, JiaxingCode));
            if (stock != XishanStock2022 || giants != JiaxingLittleGiants2022)
            {
                throw new InvalidOperationException($"on {Year}-12-31 Xishan holds {stock} SRDI enterprises (published {XishanStock2022}), Jiaxing {giants} little giants (published {JiaxingLittleGiants2022})");
            }
        }

        /// <summary>Enterprises holding one of <paramref name="tiers"/> on the year's last day: recognised by then and valid (renewals extend).</summary>
        private int Stock(IReadOnlyList<string> tiers, Func<string, bool> inJurisdiction)
        {
            var end = new LocalDate(Year, 12, 31);
            return _facts
                .Where(f => inJurisdiction(f.County) && tiers.Contains(f.Listing.Tier) && f.Listing.On <= end)
                .GroupBy(f => (f.Uscc, f.Listing.Tier))
                .Where(g =>
                {
                    var years = reference.FindTier(g.Key.Tier)!.ValidityYears;
                    var ordered = g.OrderBy(f => f.Listing.On).ToList();
                    var validTo = ordered[0].Listing.On.PlusYears(years).PlusDays(-1);
                    foreach (var renewal in ordered.Skip(1))
                    {
                        validTo = validTo.PlusYears(years);
                    }
                    return validTo >= end;
                })
                .Select(g => g.Key.Uscc)
                .Distinct()
                .Count();
        }
    }

    private static readonly string[] NameWords =
    [
        "精密", "恒信", "华锐", "瑞博", "宏远", "鼎泰", "新立", "嘉盛", "智达", "远航", "凯德", "精工", "科联", "辰星", "铭润",
        "安昊", "拓睿", "卓正", "元晟", "天海", "明川", "启成", "源通", "弘毅", "博纳", "泰和", "中研", "锐新", "众诚", "德威",
    ];

    private static readonly (string Industry, string Trade)[] Trades =
    [
        ("通用设备制造业", "机械"), ("计算机、通信和其他电子设备制造业", "电子"), ("化学原料和化学制品制造业", "新材料"),
        ("专用设备制造业", "装备"), ("仪器仪表制造业", "仪器"), ("医药制造业", "生物医药"), ("电气机械和器材制造业", "电气"),
        ("汽车制造业", "汽车部件"), ("软件和信息技术服务业", "软件"), ("金属制品业", "精密金属"), ("橡胶和塑料制品业", "高分子"),
        ("纺织业", "纺织科技"),
    ];

    private static readonly string[] Banks = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "招商银行"];
}
