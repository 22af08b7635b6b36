namespace Ledger.Reference;

public enum DivisionLevel
{
    Country,
    Province,
    City,
    County,
}

/// <summary>An administrative division (GB/T 2260), loaded from divisions.csv.</summary>
public sealed record Division(string Code, string Name, DivisionLevel Level, string? ParentCode);
