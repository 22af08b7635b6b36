namespace Ledger.Reference;

public static partial class ReferenceDataLoader
{
    private static readonly string[] TierColumns =
        ["code", "name_zh", "name_en", "rank", "recognising_level", "validity_years", "prerequisites"];

    private static List<Tier> LoadTiers(string directory)
    {
        var rows = CsvFile.Read(directory, TiersFile, TierColumns);
        var tiers = new Dictionary<string, (Tier Tier, CsvRow Row)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var code = Required(TiersFile, row, 0, "code");
            if (!code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                throw Error(TiersFile, row, $"tier code '{code}' must be lower-case letters, digits and '-'");
            }
            if (tiers.TryGetValue(code, out var first))
            {
                throw Error(TiersFile, row, $"duplicate tier code '{code}' (first on line {first.Row.LineNumber})");
            }
            var tier = new Tier(
                code,
                Required(TiersFile, row, 1, "name_zh"),
                Required(TiersFile, row, 2, "name_en"),
                PositiveNumber(TiersFile, row, 3, "rank"),
                Level(TiersFile, row, 4, "recognising_level"),
                PositiveNumber(TiersFile, row, 5, "validity_years"),
                row.Fields[6].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            tiers.Add(code, (tier, row));
        }

        foreach (var (tier, row) in tiers.Values)
        {
            foreach (var prerequisite in tier.Prerequisites)
            {
                if (!tiers.TryGetValue(prerequisite, out var required))
                {
                    throw Error(TiersFile, row, $"prerequisite '{prerequisite}' of tier '{tier.Code}' is not a tier in this file");
                }
                // A prerequisite ranks lower, which also rules out cycles.
                if (required.Tier.Rank >= tier.Rank)
                {
                    throw Error(TiersFile, row, $"prerequisite '{prerequisite}' (rank {required.Tier.Rank}) must rank below tier '{tier.Code}' (rank {tier.Rank})");
                }
            }
        }
        return tiers.Values.Select(t => t.Tier).ToList();
    }
}
