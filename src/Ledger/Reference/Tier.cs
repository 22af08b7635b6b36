namespace Ledger.Reference;

/// <summary>A rung of the tiered cultivation system (梯度培育体系), loaded from tiers.csv.</summary>
public sealed record Tier(
    string Code,
    string NameZh,
    string NameEn,
    int Rank,
    DivisionLevel RecognisingLevel,
    int ValidityYears,
    IReadOnlyList<string> Prerequisites);
