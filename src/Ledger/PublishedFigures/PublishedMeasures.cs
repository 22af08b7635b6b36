using Ledger.Reference;

namespace Ledger.PublishedFigures;

/// <summary>What a published measure counts: money (reconciled against the totals) or enterprises of some tiers (the stock).</summary>
public enum MeasureKind
{
    Money,
    Count,
}

/// <summary>One measure of measures.csv: which tiers a count measures is data, not code.</summary>
public sealed record PublishedMeasure(string Code, MeasureKind Kind, IReadOnlyList<string> Tiers, string Description)
{
    /// <summary>The unit a figure of this measure is published in.</summary>
    public string Unit => Kind == MeasureKind.Money ? "yuan" : "enterprises";
}

/// <summary>The measures published figures may name, loaded from measures.csv beside tiers.csv.</summary>
public sealed class PublishedMeasures(IEnumerable<PublishedMeasure> measures)
{
    public const string File = "measures.csv";

    private readonly Dictionary<string, PublishedMeasure> _measures = measures.ToDictionary(m => m.Code, StringComparer.Ordinal);

    public IReadOnlyCollection<PublishedMeasure> All => _measures.Values;

    public PublishedMeasure? Find(string code) => _measures.GetValueOrDefault(code);

    public static PublishedMeasures LoadDefault(ReferenceData reference) => Load(ReferenceDataLoader.DefaultDirectory, reference);

    /// <summary>Refuses the file at its first bad line, naming it (a tier that tiers.csv does not hold, an unknown kind).</summary>
    public static PublishedMeasures Load(string directory, ReferenceData reference)
    {
        var measures = new List<PublishedMeasure>();
        foreach (var row in CsvFile.Read(directory, File, ["measure", "kind", "tiers", "description"]))
        {
            var code = row.Fields[0];
            if (code.Length == 0 || measures.Any(m => m.Code == code))
            {
                throw new ReferenceDataException(File, row.LineNumber, code.Length == 0 ? "measure is empty" : $"duplicate measure '{code}'");
            }
            var kind = row.Fields[1] switch
            {
                "money" => MeasureKind.Money,
                "count" => MeasureKind.Count,
                var other => throw new ReferenceDataException(File, row.LineNumber, $"kind '{other}' is neither money nor count"),
            };
            var tiers = row.Fields[2].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (tiers.FirstOrDefault(t => reference.FindTier(t) is null) is { } unknown)
            {
                throw new ReferenceDataException(File, row.LineNumber, $"tier '{unknown}' is not in {ReferenceDataLoader.TiersFile}");
            }
            if (kind == MeasureKind.Count && tiers.Length == 0)
            {
                throw new ReferenceDataException(File, row.LineNumber, $"count measure '{code}' names no tiers");
            }
            measures.Add(new PublishedMeasure(code, kind, tiers, row.Fields[3]));
        }
        return new PublishedMeasures(measures);
    }
}
