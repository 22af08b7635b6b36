using System.Globalization;
using Ledger.Policies;

namespace Ledger.Budgets;

/// <summary>
/// A budget line (docs/decisions.md): what one division has for SRDI awards at one funding level in one fiscal year
/// (fiscal year = calendar year). Each line is its own stream, named by <see cref="StreamId"/>.
/// </summary>
public sealed record BudgetLineKey(string DivisionCode, int FiscalYear, FundingLevel Level)
{
    /// <summary>UUID v5 of "budget:{division}:{year}:{level}": the same line always has the same stream.</summary>
    public static Guid StreamId(BudgetLineKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeterministicGuid.Create(string.Create(
            CultureInfo.InvariantCulture, $"budget:{key.DivisionCode}:{key.FiscalYear}:{LevelName(key.Level)}"));
    }

    /// <summary>The stored name of a level (as in the JSON of events).</summary>
    public static string LevelName(FundingLevel level) => level switch
    {
        FundingLevel.Province => "province",
        FundingLevel.City => "city",
        FundingLevel.County => "county",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a funding level"),
    };

    /// <summary>"330424/2024/county", the form messages use.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{DivisionCode}/{FiscalYear}/{LevelName(Level)}");
}
