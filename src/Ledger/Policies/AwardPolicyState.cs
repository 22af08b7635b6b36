using NodaTime;

namespace Ledger.Policies;

/// <summary>One version of a policy's terms; <see cref="Number"/> starts at 1.</summary>
public sealed record PolicyVersion(int Number, PolicyTerms Terms)
{
    public LocalDate EffectiveFrom => Terms.EffectiveFrom;
}

/// <summary>A policy stream folded: every version is kept, so an award can name the version it was determined under.</summary>
public sealed record AwardPolicyState(
    Guid Id,
    string IssuerCode,
    string IssuerName,
    IReadOnlyList<PolicyVersion> Versions,
    LocalDate? RetiredOn,
    int StreamVersion)
{
    public static readonly AwardPolicyState Initial = new(Guid.Empty, "", "", [], null, 0);

    public bool IsIssued => Versions.Count > 0;

    public PolicyVersion Latest => Versions[^1];

    public PolicyVersion Version(int number) => Versions[number - 1];

    /// <summary>
    /// The version for a trigger decided on <paramref name="date"/>: the latest whose effective-from is on or before
    /// it; a trigger before the first effective-from (a retroactive policy) uses version 1.
    /// </summary>
    public PolicyVersion VersionFor(LocalDate date) =>
        Versions.LastOrDefault(v => v.EffectiveFrom <= date) ?? Versions[0];
}
