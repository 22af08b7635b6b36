using NodaTime;
using NodaTime.Text;

namespace Ledger.Reference;

public static partial class ReferenceDataLoader
{
    private static readonly string[] TierColumns =
    [
        "code", "name_zh", "name_en", "rank", "recognising_level", "validity_years", "prerequisites",
        "valid_from", "valid_from_source", "valid_to", "valid_to_source",
    ];

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
            // Every tier has a start: the measures that created it. A date without the document it comes from could not
            // be checked by anyone, so each date needs its source, and a source needs its date.
            var validFrom = IsoDate(TiersFile, row, 7, "valid_from")
                ?? throw Error(TiersFile, row, "valid_from is empty; give the date the measures creating the tier took effect");
            var validFromSource = Required(TiersFile, row, 8, "valid_from_source");
            var validTo = IsoDate(TiersFile, row, 9, "valid_to");
            var validToSource = row.Fields[10];
            if (validTo is { } to)
            {
                if (to < validFrom)
                {
                    throw Error(TiersFile, row, $"valid_to {row.Fields[9]} is before valid_from {row.Fields[7]}");
                }
                if (validToSource.Length == 0)
                {
                    throw Error(TiersFile, row, "valid_to_source is empty; give the document that ended the tier");
                }
            }
            else if (validToSource.Length > 0)
            {
                throw Error(TiersFile, row, "valid_to_source is given but valid_to is empty");
            }
            var tier = new Tier(
                code,
                Required(TiersFile, row, 1, "name_zh"),
                Required(TiersFile, row, 2, "name_en"),
                PositiveNumber(TiersFile, row, 3, "rank"),
                Level(TiersFile, row, 4, "recognising_level"),
                PositiveNumber(TiersFile, row, 5, "validity_years"),
                row.Fields[6].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                validFrom,
                validFromSource,
                validTo,
                validTo is null ? null : validToSource);
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

    /// <summary>An ISO date in the column, or null when it is empty.</summary>
    private static LocalDate? IsoDate(string file, CsvRow row, int column, string name)
    {
        var text = row.Fields[column];
        if (text.Length == 0)
        {
            return null;
        }
        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? parsed.Value : throw Error(file, row, $"{name} '{text}' is not an ISO date (yyyy-MM-dd)");
    }
}
