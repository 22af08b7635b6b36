using System.Globalization;
using Ledger.Budgets;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.ReadModels;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Imports.Generation;

/// <summary>What a generation wrote: rows per file, header not counted.</summary>
public sealed record GenerationResult(IReadOnlyDictionary<string, long> Rows);

/// <summary>
/// Writes import files (docs/import-format.md) for <c>N</c> enterprises spread over every county-level division of the
/// reference data, with the messy parts of real books: renewals, upgrades, lowered up-to awards, payments a year after
/// the determination, split funding, bank returns, clawbacks. Deterministic: the same N, seed and reference data give
/// the same bytes. Rows stream to the files enterprise by enterprise; only the budget lines and the batch calendar are
/// held, so a national run needs no more memory than a county's.
/// </summary>
public sealed partial class ImportGenerator
{
    /// <summary>Recognitions are decided from this year (the holiday table starts in 2019, and value dates need it).</summary>
    public const int FirstYear = 2019;

    /// <summary>The last year a first recognition or an upgrade is decided; renewals and payments follow into the next.</summary>
    public const int LastRecognitionYear = 2024;

    /// <summary>Nothing is dated later: a fixed end keeps the files the same whenever they are made.</summary>
    public static readonly LocalDate Horizon = new(2025, 12, 31);

    private const string InnovativeSme = "innovative-sme";
    private const string Municipal = "municipal-srdi";
    private const string Provincial = "provincial-srdi";
    private const string LittleGiant = "national-little-giant";
    private const string HiddenChampion = "provincial-hidden-champion";
    private const string SingleChampion = "national-single-champion";

    private static readonly string[] Tiers = [InnovativeSme, Municipal, Provincial, LittleGiant, HiddenChampion, SingleChampion];

    private readonly ReferenceData _reference;
    private readonly long _seed;
    private readonly WorkingDayCalendar _calendar;
    private readonly AwardBook _book;
    private readonly BudgetTally _tally = new();
    private readonly Dictionary<string, (LocalDate Date, string DocumentNo)> _batches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _authorityNames = new(StringComparer.Ordinal);

    public ImportGenerator(ReferenceData reference, long seed)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _reference = reference;
        _seed = seed;
        _calendar = reference.Calendar;
        _book = new AwardBook(reference);
        foreach (var tier in Tiers.Where(t => reference.FindTier(t) is null))
        {
            throw new DomainException("generate.reference", $"tier {tier} is not in tiers.csv; the generator recognises the tiers {string.Join(", ", Tiers)}.");
        }
        for (var year = FirstYear; year <= Horizon.Year + 1; year++)
        {
            if (!_calendar.Covers(year))
            {
                throw new DomainException("generate.reference", $"the holiday table (non-working-days.csv) does not cover {year}; value dates run from {FirstYear} to {Horizon.Year}.");
            }
        }
        // The first name authorities.csv lists for a division is its current one.
        foreach (var name in reference.Authorities.Names)
        {
            _authorityNames.TryAdd(name.DivisionCode, name.Name);
        }
    }

    /// <summary>Writes the files into <paramref name="directory"/> (created if missing, files replaced).</summary>
    public GenerationResult Write(string directory, int enterprises, IProgress<RebuildProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(enterprises);
        var counties = Counties();
        using var writer = new ImportFileWriter(directory);
        foreach (var policy in counties.Select(c => c.Policy).DistinctBy(p => p.Key).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.Write(new PolicyRow(policy.Key, policy.State.IssuerCode, policy.State.Latest.Terms));
        }

        var shares = Apportion(enterprises, [.. counties.Select(c => Weight(c.Division.Code))]);
        var step = Math.Max(1, enterprises / 200);
        long done = 0;
        for (var c = 0; c < counties.Count; c++)
        {
            for (var serial = 1; serial <= shares[c]; serial++)
            {
                WriteEnterprise(writer, counties[c], serial, done);
                done++;
                if (done % step == 0 || done == enterprises)
                {
                    progress?.Report(new RebuildProgress("enterprises", done, enterprises));
                }
            }
        }

        var lines = _tally.Lines.ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var (line, charged) = lines[i];
            var rng = DeterministicRandom.For(_seed, $"budget:{line}");
            writer.Write(new BudgetRow(line, BudgetTally.Appropriation(charged, (110 + rng.Next(31)) / 100m, Money.Of(100_000m))));
        }
        progress?.Report(new RebuildProgress("budgets", lines.Count, lines.Count));
        return new GenerationResult(writer.Rows);
    }

    private sealed record PolicyPlan(string Key, AwardPolicyState State)
    {
        public PolicyTerms Terms => State.Latest.Terms;
    }

    /// <summary>A county-level division, the city above it (null where it sits under its province) and the one policy covering it.</summary>
    private sealed record County(Division Division, Division? City, PolicyPlan Policy, string Place);

    /// <summary>
    /// Every county-level division with its policy: per city, either one city policy (funded by city and county) or
    /// a policy per county (county-funded), drawn per city; a county directly under its province gets its own.
    /// </summary>
    private List<County> Counties()
    {
        var counties = _reference.Divisions.Values
            .Where(d => d.Level == DivisionLevel.County)
            .OrderBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
        if (counties.Count == 0)
        {
            throw new DomainException("generate.reference", "divisions.csv has no county-level division to put enterprises in.");
        }
        var cityPolicies = new Dictionary<string, PolicyPlan?>(StringComparer.Ordinal);
        var result = new List<County>(counties.Count);
        foreach (var county in counties)
        {
            var city = county.ParentCode is { } parent && _reference.FindDivision(parent) is { Level: DivisionLevel.City } c ? c : null;
            PolicyPlan? policy = null;
            if (city is not null)
            {
                if (!cityPolicies.TryGetValue(city.Code, out policy))
                {
                    var rng = DeterministicRandom.For(_seed, $"city-policy:{city.Code}");
                    policy = cityPolicies[city.Code] = rng.Chance(0.3) ? Policy(city, cityWide: true) : null;
                }
            }
            result.Add(new County(county, city, policy ?? Policy(county, cityWide: false), Place(county.Name)));
        }
        return result;
    }

    /// <summary>
    /// A policy of <paramref name="issuer"/>: rules for the SRDI tiers rising with rank (so highest-only pays upgrades
    /// their difference), up-to or fixed, renewal rules on most, from 2019, 2020 or 2021.
    /// </summary>
    private PolicyPlan Policy(Division issuer, bool cityWide)
    {
        var rng = DeterministicRandom.For(_seed, $"policy:{issuer.Code}");
        var stacking = rng.Chance(0.65) ? Stacking.HighestOnly : Stacking.Cumulative;
        var kind = rng.Chance(0.6) ? AmountKind.UpTo : AmountKind.Fixed;
        var year = rng.Pick([2019, 2019, 2020, 2020, 2021]);
        var from = new LocalDate(year, 1, 1);
        var municipal = TenThousands(ref rng, 5, 20);
        var provincial = municipal + TenThousands(ref rng, 10, 30);
        var littleGiant = provincial + TenThousands(ref rng, 20, 70);
        var rules = new List<AwardRule>
        {
            new(Municipal, AwardTrigger.Recognition, municipal, kind),
            new(Provincial, AwardTrigger.Recognition, provincial, kind),
            new(LittleGiant, AwardTrigger.Recognition, littleGiant, kind),
        };
        if (rng.Chance(0.4))
        {
            rules.Add(new(HiddenChampion, AwardTrigger.Recognition, provincial + TenThousands(ref rng, 0, 20), kind));
        }
        if (rng.Chance(0.3))
        {
            rules.Add(new(SingleChampion, AwardTrigger.Recognition, littleGiant + TenThousands(ref rng, 20, 100), kind));
        }
        if (rng.Chance(0.2))
        {
            rules.Add(new(InnovativeSme, AwardTrigger.Recognition, TenThousands(ref rng, 2, 5), kind));
        }
        if (rng.Chance(0.7))
        {
            // Renewals are fixed and smaller: a third to a half of the recognition, to the 10,000.
            foreach (var recognition in rules.Where(r => r.Tier is Municipal or Provincial or LittleGiant).ToList())
            {
                var renewal = decimal.Round(recognition.Amount.Yuan * rng.Between(30, 50) / 100m / 10_000m, MidpointRounding.ToZero) * 10_000m;
                rules.Add(new(recognition.Tier, AwardTrigger.Renewal, Money.Of(Math.Max(10_000m, renewal)), AmountKind.Fixed));
            }
        }
        IReadOnlyList<FundingShare> split = cityWide
            ? rng.Pick<IReadOnlyList<FundingShare>>([
                [new(FundingLevel.City, 50m), new(FundingLevel.County, 50m)],
                [new(FundingLevel.City, 60m), new(FundingLevel.County, 40m)],
                [new(FundingLevel.City, 30m), new(FundingLevel.County, 70m)],
                [new(FundingLevel.City, 100m)]])
            : [new(FundingLevel.County, 100m)];
        var document = string.Create(CultureInfo.InvariantCulture, $"{issuer.Name}政发〔{year - 1}〕{rng.Between(1, 60)}号");
        var terms = new PolicyTerms(
            $"{issuer.Name}支持专精特新中小企业高质量发展奖励办法", document, from, from, null, rules, stacking, split,
            rng.Pick([0, 5, 5, 7]), rng.Chance(0.3) ? Money.Of(1_000_000m) : null);
        var state = new AwardPolicyState(AwardPolicyDecider.StreamId(issuer.Code, document), issuer.Code, issuer.Name, [new PolicyVersion(1, terms)], null, 1);
        return new PolicyPlan($"srdi-{issuer.Code}", state);
    }

    private static Money TenThousands(ref DeterministicRandom rng, int min, int max) => Money.Of(rng.Between(min, max) * 10_000m);

    /// <summary>How many enterprises a county holds relative to the others: 1 to 8, drawn once per county and seed.</summary>
    private long Weight(string countyCode)
    {
        var rng = DeterministicRandom.For(_seed, $"weight:{countyCode}");
        return 1 + rng.Next(4) + rng.Next(4);
    }

    /// <summary>Splits <paramref name="total"/> over the weights by largest remainder, ties to the earlier county.</summary>
    private static int[] Apportion(int total, long[] weights)
    {
        var sum = weights.Sum();
        var shares = weights.Select(w => (int)(total * w / sum)).ToArray();
        var rest = total - shares.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => total * weights[i] % sum).ThenBy(i => i).Take(rest))
        {
            shares[i]++;
        }
        return shares;
    }

    /// <summary>The short place name enterprises carry: 锡山区 → 锡山, 江阴市 → 江阴; two-character names stay whole.</summary>
    private static string Place(string name) =>
        name.Length > 2 && name[^1] is '区' or '县' or '市' or '旗' ? name[..^1] : name;

    private void WriteEnterprise(ImportFileWriter writer, County county, int serial, long index)
    {
        var rng = DeterministicRandom.For(_seed, unchecked((ulong)index));
        var first17 = string.Create(CultureInfo.InvariantCulture, $"91{county.Division.Code}{serial:D8}X");
        var uscc = first17 + Uscc.CheckCharacter(first17);
        var (industry, trade) = rng.Pick(Industries);
        var name = EnterpriseName(county.Place, serial, trade);
        var bank = new BankAccount(
            $"{rng.Pick(Banks)}{county.Division.Name}支行", name,
            string.Create(CultureInfo.InvariantCulture, $"{rng.Between(1000, 9999)}{rng.Between(100000, 999999)}{rng.Between(100000000, 999999999)}"));
        writer.Write(new EnterpriseRow(uscc, name, county.Division.Code, industry, bank));

        var enterpriseId = Enterprise.StreamIdFor(Uscc.Parse(uscc));
        var facts = Career(ref rng, county);
        foreach (var fact in facts)
        {
            writer.Write(new RecognitionRow(uscc, fact.Tier, fact.Trigger, fact.Date, Authority(ref rng, fact.Tier, county.Division.Code), fact.DocumentNo, null));
        }
        _book.Clear();
        foreach (var fact in facts)
        {
            if (_book.Determine(county.Policy.State, enterpriseId, county.Division.Code, fact.Tier, fact.Trigger, fact.Date) is { } award)
            {
                Settle(writer, ref rng, county, new AwardReference(uscc, fact.Tier, fact.Trigger, fact.Date), award);
            }
        }
    }

    /// <summary>The recognising government as the books print it: its name where authorities.csv knows one, else (and sometimes anyway) its code.</summary>
    private string Authority(ref DeterministicRandom rng, string tier, string countyCode)
    {
        var division = _reference.RecognisingDivision(_reference.FindTier(tier)!, countyCode)!;
        return _authorityNames.TryGetValue(division.Code, out var name) && !rng.Chance(0.2) ? name : division.Code;
    }

    /// <summary>示例 + place + two words + trade: visibly fictional, and distinct within a county for its first 1,200 enterprises.</summary>
    private static string EnterpriseName(string place, int serial, string trade)
    {
        // For each first word the second runs through all its values before a pair repeats, offset so neighbours differ.
        var i = serial - 1;
        var first = i % NameWords.Length;
        var words = NameWords[first] + SecondWords[(i / NameWords.Length + 7 * first) % SecondWords.Length];
        var round = i / (NameWords.Length * SecondWords.Length);
        return round == 0 ? $"示例{place}{words}{trade}有限公司" : string.Create(CultureInfo.InvariantCulture, $"示例{place}{words}{trade}{round + 1}号有限公司");
    }

    private static readonly string[] NameWords =
    [
        "恒", "华", "瑞", "博", "宏", "鼎", "泰", "新", "立", "嘉", "盛", "智", "信", "远", "凯", "精", "达", "科", "联", "辰",
        "铭", "润", "安", "昊", "弘", "拓", "睿", "航", "卓", "正", "通", "元", "晟", "天", "海", "川", "明", "启", "成", "源",
    ];

    private static readonly string[] SecondWords =
    [
        "泰", "锐", "川", "德", "丰", "峰", "辉", "杰", "力", "隆", "美", "宁", "荣", "山", "森", "硕", "腾", "威", "翔", "扬",
        "益", "宇", "跃", "展", "臻", "耀", "驰", "浩", "鑫", "亿",
    ];

    /// <summary>Industry as the enterprise register prints it (国民经济行业分类), with the trade word its name carries.</summary>
    private static readonly (string Industry, string Trade)[] Industries =
    [
        ("通用设备制造业", "机械"), ("专用设备制造业", "装备"), ("电气机械和器材制造业", "电气"),
        ("计算机、通信和其他电子设备制造业", "电子"), ("汽车制造业", "汽车部件"), ("化学原料和化学制品制造业", "新材料"),
        ("医药制造业", "生物医药"), ("仪器仪表制造业", "仪器"), ("金属制品业", "精密金属"), ("橡胶和塑料制品业", "高分子"),
        ("软件和信息技术服务业", "软件"), ("纺织业", "纺织科技"),
    ];

    private static readonly string[] Banks = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "招商银行", "兴业银行"];
}
