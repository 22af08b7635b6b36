using Ledger.Awards;
using Ledger.Policies;

namespace Ledger.Tests.Support;

/// <summary>The unpaid part per funding level that an <see cref="AwardCancelled"/> names: each share less what its level paid.</summary>
public static class Unpaid
{
    public static IReadOnlyList<FundingAmount> Of(AwardDetermined award, params (FundingLevel Level, decimal Paid)[] paid) =>
        [.. award.Funding.Select(f => f with { Amount = f.Amount - Money.Of(paid.Where(p => p.Level == f.Level).Sum(p => p.Paid)) })];
}
