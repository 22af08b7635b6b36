using Ledger.Policies;
using Ledger.Reference;

namespace Ledger.Awards;

/// <summary>Splits an award over the budgets of the levels that fund it (docs/decisions.md).</summary>
public static class FundingSplit
{
    /// <summary>
    /// The shares of a policy for an enterprise: the share at the issuer's own level is charged to the issuer, a share
    /// at a lower level to the enterprise's division at that level.
    /// </summary>
    public static IReadOnlyList<FundingAmount> For(
        Money amount, IReadOnlyList<FundingShare> shares, string issuerCode, string countyCode, ReferenceData reference) =>
        Apportion(amount, [.. shares.Select(s => new FundingAmount(s.Level, DivisionAt(s.Level, issuerCode, countyCode, reference), s.Percent, Money.Zero))]);

    /// <summary>
    /// Every share but the first is cut to the fen (rounded toward zero); the first listed share takes the rest, so the
    /// parts always add up to the amount and the fractions of a fen all land on one budget line.
    /// </summary>
    public static IReadOnlyList<FundingAmount> Apportion(Money amount, IReadOnlyList<FundingAmount> shares)
    {
        var rest = shares
            .Skip(1)
            .Select(s => s with { Amount = Money.Of(decimal.Round(amount.Yuan * s.Percent / 100m, 2, MidpointRounding.ToZero)) })
            .ToList();
        var first = shares[0] with { Amount = rest.Aggregate(amount, (left, s) => left - s.Amount) };
        return [first, .. rest];
    }

    private static string DivisionAt(FundingLevel level, string issuerCode, string countyCode, ReferenceData reference)
    {
        var wanted = level switch
        {
            FundingLevel.Province => DivisionLevel.Province,
            FundingLevel.City => DivisionLevel.City,
            _ => DivisionLevel.County,
        };
        if (reference.FindDivision(issuerCode)?.Level == wanted)
        {
            return issuerCode;
        }
        for (var d = reference.FindDivision(countyCode); d is not null; d = d.ParentCode is null ? null : reference.FindDivision(d.ParentCode))
        {
            if (d.Level == wanted)
            {
                return d.Code;
            }
        }
        throw new DomainException(
            "award.funding-division",
            $"fundingSplit: the enterprise's county {countyCode} has no {level.ToString().ToLowerInvariant()}-level division in the reference data to charge; correct the division table.");
    }
}
