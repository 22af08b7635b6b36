using NodaTime;

namespace Ledger.Reference;

public enum DivisionLevel
{
    Country,
    Province,
    City,
    County,
}

/// <summary>An administrative division (GB/T 2260), loaded from divisions.csv.</summary>
/// <param name="EndedOn">
/// The day the division ceased (merged, renamed under a new code, abolished); null while it is current. An ended division
/// stays in the table and in its parent's subtree, so what was recorded in it keeps rolling up as it did.
/// </param>
public sealed record Division(string Code, string Name, DivisionLevel Level, string? ParentCode, LocalDate? EndedOn = null)
{
    /// <summary>True when the division had ceased by <paramref name="date"/> (it ended on that day or before).</summary>
    public bool HasEndedBy(LocalDate date) => EndedOn is { } ended && ended <= date;
}
