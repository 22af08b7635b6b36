using System.Globalization;
using Ledger.Budgets;

namespace Ledger.Imports.Generation;

/// <summary>
/// What the generated payments charge to each budget line (division × year of the value date × level), and the lines
/// returns and clawback repayments credit, so budgets.csv can appropriate every line the import touches, with headroom.
/// Also numbers the treasury vouchers, per division and year. Grows with the lines, never with the rows.
/// </summary>
internal sealed class BudgetTally
{
    private readonly Dictionary<BudgetLineKey, Money> _charged = [];
    private readonly Dictionary<(string Division, int Year), int> _vouchers = [];

    public void Charge(BudgetLineKey line, Money amount) =>
        _charged[line] = _charged.GetValueOrDefault(line) + amount;

    /// <summary>A line that must exist although nothing may be charged to it (a return or a repayment credits it).</summary>
    public void Touch(BudgetLineKey line) => _charged.TryAdd(line, Money.Zero);

    /// <summary>The next voucher of a division's treasury in a year: "3202052022000017".</summary>
    public string NextVoucher(string division, int year, string prefix = "")
    {
        var next = _vouchers.GetValueOrDefault((division, year)) + 1;
        _vouchers[(division, year)] = next;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{division}{year}{next:D6}");
    }

    /// <summary>Every line with what was charged to it, by division, year and level.</summary>
    public IEnumerable<(BudgetLineKey Line, Money Charged)> Lines =>
        _charged
            .OrderBy(l => l.Key.DivisionCode, StringComparer.Ordinal)
            .ThenBy(l => l.Key.FiscalYear)
            .ThenBy(l => l.Key.Level)
            .Select(l => (l.Key, l.Value));

    /// <summary>
    /// The appropriation for a line: what it was charged times <paramref name="headroom"/> (≥ 1), rounded up to
    /// 10,000 元, and never less than <paramref name="minimum"/>.
    /// </summary>
    public static Money Appropriation(Money charged, decimal headroom, Money minimum)
    {
        var raised = decimal.Ceiling(charged.Yuan * headroom / 10_000m) * 10_000m;
        return Money.Max(Money.Of(raised), minimum);
    }
}
