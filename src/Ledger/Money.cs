using System.Globalization;

namespace Ledger;

/// <summary>An exact amount in 元 with at most two places (分). Never floating point.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(MoneyJsonConverter))]
public readonly record struct Money : IComparable<Money>
{
    private readonly decimal _yuan;

    /// <summary>
    /// The amount, always with scale 2 (100000 reads as 100000.00), so events, fingerprints and exports write
    /// one form of each amount: 100000 and 100000.00 are the same command.
    /// </summary>
    public decimal Yuan => _yuan + 0.00m;

    private Money(decimal yuan) => _yuan = yuan;

    public static Money Zero => default;

    /// <summary>Accepts a decimal with at most two places; more places is an error, never a rounding.</summary>
    public static Money Of(decimal yuan, string field = "amount")
    {
        if (decimal.Round(yuan, 2) != yuan)
        {
            throw new DomainException("money.precision", $"{field}: {yuan.ToString(CultureInfo.InvariantCulture)} has more than 2 decimal places (分).");
        }
        return new Money(decimal.Round(yuan, 2));
    }

    /// <summary>Parses user input such as "150000" or "0.01": digits with at most two decimals, no exponent, no grouping.</summary>
    public static Money Parse(string text, string field = "amount")
    {
        var trimmed = text.Trim();
        if (!decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new DomainException("money.format", $"{field}: '{text}' is not an amount in 元 (digits with at most 2 decimals, e.g. 150000.00).");
        }
        return Of(value, field);
    }

    public bool IsPositive => Yuan > 0m;
    public bool IsNegative => Yuan < 0m;

    public static Money operator +(Money a, Money b) => new(a.Yuan + b.Yuan);
    public static Money operator -(Money a, Money b) => new(a.Yuan - b.Yuan);
    public static Money operator -(Money a) => new(-a.Yuan);
    public static bool operator <(Money a, Money b) => a.Yuan < b.Yuan;
    public static bool operator >(Money a, Money b) => a.Yuan > b.Yuan;
    public static bool operator <=(Money a, Money b) => a.Yuan <= b.Yuan;
    public static bool operator >=(Money a, Money b) => a.Yuan >= b.Yuan;

    public static Money Max(Money a, Money b) => a >= b ? a : b;
    public static Money Min(Money a, Money b) => a <= b ? a : b;

    public int CompareTo(Money other) => Yuan.CompareTo(other.Yuan);

    /// <summary>Invariant "0.00" form, as stored and exported.</summary>
    public override string ToString() => Yuan.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Chinese reading form: whole 万元 as "50万元", otherwise "12345.67元".</summary>
    public string ToChinese()
    {
        if (Yuan != 0m && Yuan % 10000m == 0m)
        {
            return (Yuan / 10000m).ToString("0.####", CultureInfo.InvariantCulture) + "万元";
        }
        return Yuan.ToString("0.##", CultureInfo.InvariantCulture) + "元";
    }
}
