using System.Globalization;
using NodaTime;

namespace Ledger.Reference;

/// <summary>
/// A rung of the tiered cultivation system (梯度培育体系), loaded from tiers.csv. A tier has a life: it exists from the
/// date the measures creating it took effect (<see cref="ValidFrom"/>) and, once they are replaced, until the last day
/// they applied (<see cref="ValidTo"/>); each date carries the document it comes from.
/// </summary>
public sealed record Tier(
    string Code,
    string NameZh,
    string NameEn,
    int Rank,
    DivisionLevel RecognisingLevel,
    int ValidityYears,
    IReadOnlyList<string> Prerequisites,
    LocalDate ValidFrom,
    string ValidFromSource,
    LocalDate? ValidTo = null,
    string? ValidToSource = null)
{
    /// <summary>True when the tier existed on <paramref name="date"/>: on or after valid-from and not after valid-to.</summary>
    public bool ExistsOn(LocalDate date) => ValidFrom <= date && (ValidTo is null || date <= ValidTo);

    /// <summary>The tier's life in words, with its sources, for messages: "from 2022-06-01 (…)" or "from … until … (…)".</summary>
    public string Life => ValidTo is { } to
        ? $"from {Iso(ValidFrom)} ({ValidFromSource}) until {Iso(to)} ({ValidToSource})"
        : $"from {Iso(ValidFrom)} ({ValidFromSource})";

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
