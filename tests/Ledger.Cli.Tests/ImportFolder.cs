using System.Globalization;
using Ledger.Reference;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Cli.Tests;

/// <summary>
/// A folder of import files read back from the files alone, with the awards worked out from policies.csv,
/// recognitions.csv and awards.csv by the rules of docs/rules.md written out again here (fixed or up-to; highest-only
/// recognitions pay what earlier recognition awards of the policy do not already reach, renewals in full; the funding
/// split cut to the fen with the rest on the first level), so the tests check what the generators wrote against the
/// rules rather than against the generators' own arithmetic.
/// </summary>
internal sealed class ImportFolder
{
    public ImportFolder(string directory, ReferenceData reference)
    {
        Directory = directory;
        Reference = reference;
        Policies = [.. Rows("policies.csv").GroupBy(r => r["policy_key"]).Select(Policy.Of)];
        Enterprises = Rows("enterprises.csv");
        Budgets = Rows("budgets.csv");
        Recognitions = Rows("recognitions.csv");
        Lowerings = Rows("awards.csv");
        Payments = Rows("payments.csv");
        Returns = Rows("returns.csv");
        Clawbacks = Rows("clawbacks.csv");
        Awards = DetermineAwards();
    }

    public string Directory { get; }

    public ReferenceData Reference { get; }

    public IReadOnlyList<Policy> Policies { get; }

    public IReadOnlyList<Row> Enterprises { get; }

    public IReadOnlyList<Row> Budgets { get; }

    public IReadOnlyList<Row> Recognitions { get; }

    public IReadOnlyList<Row> Lowerings { get; }

    public IReadOnlyList<Row> Payments { get; }

    public IReadOnlyList<Row> Returns { get; }

    public IReadOnlyList<Row> Clawbacks { get; }

    /// <summary>Every award the recognitions determine, by (uscc, tier, trigger, decided_on, policy_key).</summary>
    public IReadOnlyDictionary<string, Award> Awards { get; }

    public sealed record Row(string File, int Line, IReadOnlyDictionary<string, string> Fields)
    {
        public string this[string column] => Fields[column];

        public override string ToString() => $"{File}:{Line}";
    }

    public sealed record Rule(string Tier, string Trigger, decimal Amount, string Kind);

    public sealed record Policy(string Key, string IssuerCode, LocalDate EffectiveFrom, LocalDate AppliesFrom, LocalDate? AppliesTo,
        string Stacking, IReadOnlyList<Rule> Rules, IReadOnlyList<(string Level, decimal Percent)> Split, int PublicityDays)
    {
        public static Policy Of(IGrouping<string, Row> rows)
        {
            var first = rows.First();
            return new Policy(rows.Key, first["issuer_code"], Date(first["effective_from"]), Date(first["applies_from"]),
                first["applies_to"].Length == 0 ? null : Date(first["applies_to"]), first["stacking"],
                [.. rows.Select(r => new Rule(r["tier"], r["trigger"], Amount(r["amount_yuan"]), r["amount_kind"]))],
                [.. first["funding_split"].Split(';').Select(s => s.Split(':')).Select(p => (p[0], decimal.Parse(p[1], CultureInfo.InvariantCulture)))],
                int.Parse(first["publicity_days"], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>An award: its amount (after any lowering), determination date and share per level with the division charged.</summary>
    public sealed record Award(string Key, string Uscc, Policy Policy, Rule Rule, LocalDate DecidedOn, LocalDate DeterminedOn, decimal Amount,
        IReadOnlyDictionary<string, (string Division, decimal Amount)> Shares);

    public static string AwardKey(Row row) =>
        string.Join('|', row["uscc"], row["tier"], row["trigger"], row["decided_on"], row["policy_key"]);

    public static LocalDate Date(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();

    public static decimal Amount(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>The division an enterprise of <paramref name="county"/> is charged at <paramref name="level"/> under a policy of <paramref name="issuer"/>.</summary>
    public string DivisionAt(string level, string issuer, string county)
    {
        var wanted = level switch { "province" => DivisionLevel.Province, "city" => DivisionLevel.City, _ => DivisionLevel.County };
        if (Reference.FindDivision(issuer)?.Level == wanted)
        {
            return issuer;
        }
        for (var d = Reference.FindDivision(county); d is not null; d = d.ParentCode is null ? null : Reference.FindDivision(d.ParentCode))
        {
            if (d.Level == wanted)
            {
                return d.Code;
            }
        }
        throw new InvalidOperationException($"no {level} above {county}");
    }

    private Dictionary<string, Award> DetermineAwards()
    {
        var counties = Enterprises.ToDictionary(e => e["uscc"], e => e["county_code"], StringComparer.Ordinal);
        var lowerings = Lowerings.ToDictionary(AwardKey, r => Amount(r["amount_yuan"]), StringComparer.Ordinal);
        var awards = new Dictionary<string, Award>(StringComparer.Ordinal);
        foreach (var enterprise in Recognitions.GroupBy(r => r["uscc"]))
        {
            var county = counties[enterprise.Key];
            var facts = enterprise.OrderBy(r => Date(r["decided_on"])).ToList();
            facts.Select(f => f["decided_on"]).Distinct().Count().ShouldBe(facts.Count, $"{enterprise.Key}: two recognitions on one day leave stacking to the order of the rows");
            foreach (var policy in Policies.Where(p => Reference.IsWithin(county, p.IssuerCode)))
            {
                var recognitionAwards = new List<Award>();
                foreach (var fact in facts)
                {
                    var decided = Date(fact["decided_on"]);
                    var rule = policy.Rules.SingleOrDefault(r => r.Tier == fact["tier"] && r.Trigger == fact["trigger"]);
                    if (rule is null || decided < policy.AppliesFrom || (policy.AppliesTo is { } to && decided > to))
                    {
                        continue;
                    }
                    var amount = rule.Amount;
                    if (rule.Trigger == "recognition" && policy.Stacking == "highest-only")
                    {
                        amount -= recognitionAwards.Sum(a => a.Amount);
                    }
                    if (amount <= 0m)
                    {
                        continue;
                    }
                    var key = string.Join('|', enterprise.Key, rule.Tier, rule.Trigger, fact["decided_on"], policy.Key);
                    if (lowerings.TryGetValue(key, out var lowered))
                    {
                        rule.Kind.ShouldBe("up-to", $"{key}: only an up-to award can be lowered");
                        lowered.ShouldBeLessThan(amount, $"{key}: a lowering must lower");
                        lowered.ShouldBeGreaterThan(0m);
                        amount = lowered;
                    }
                    var rest = policy.Split.Skip(1)
                        .Select(s => (s.Level, Amount: decimal.Round(amount * s.Percent / 100m, 2, MidpointRounding.ToZero))).ToList();
                    var shares = new Dictionary<string, (string, decimal)>(StringComparer.Ordinal)
                    {
                        [policy.Split[0].Level] = (DivisionAt(policy.Split[0].Level, policy.IssuerCode, county), amount - rest.Sum(r => r.Amount)),
                    };
                    foreach (var (level, part) in rest)
                    {
                        shares[level] = (DivisionAt(level, policy.IssuerCode, county), part);
                    }
                    var award = new Award(key, enterprise.Key, policy, rule, decided, LocalDate.Max(decided, policy.EffectiveFrom), amount, shares);
                    awards.Add(key, award);
                    if (rule.Trigger == "recognition")
                    {
                        recognitionAwards.Add(award);
                    }
                }
            }
        }
        foreach (var key in lowerings.Keys)
        {
            awards.ShouldContainKey(key, $"awards.csv lowers {key}, which no recognition determines");
        }
        return awards;
    }

    private List<Row> Rows(string file)
    {
        var path = Path.Combine(Directory, file);
        if (!File.Exists(path))
        {
            return [];
        }
        var input = InputFile.Read(path, [.. File.ReadLines(path).First().TrimStart('\uFEFF').Split(',')]);
        return [.. input.Rows.Select(r => new Row(file, r.Line,
            input.Header.Select((h, i) => (h, i)).ToDictionary(c => c.h, c => input.Field(r.Fields, c.h), StringComparer.Ordinal)))];
    }
}
