using Ledger.Reference;

namespace Ledger.Reports;

/// <summary>The divisions a jurisdiction's reports cover: the division itself and every division below it.</summary>
public static class Subtree
{
    /// <summary>Every division code at or below <paramref name="jurisdiction"/> (counties, and the cities and provinces between; ended ones too).</summary>
    public static string[] Of(ReferenceData reference, string jurisdiction)
    {
        if (reference.FindDivision(jurisdiction) is null)
        {
            throw new DomainException("report.jurisdiction", $"jurisdiction: '{jurisdiction}' is not a division code the ledger knows (100000 for the nation).");
        }
        return [.. reference.Subtree(jurisdiction)];
    }
}
