namespace Ledger.Enterprises;

/// <summary>The account awards are paid to (开户行, 户名, 账号).</summary>
public sealed record BankAccount(string BankName, string AccountName, string AccountNumber)
{
    private const char Separator = '|';

    /// <summary>
    /// A trimmed copy with spaces removed from the account number; throws when a part is missing or the
    /// number is not 8–30 digits. Validation lives here rather than in the constructor so that events
    /// recorded under older rules still load.
    /// </summary>
    public BankAccount Validated(string field = "bankAccount")
    {
        var bankName = RequiredName(BankName, $"{field}.bankName", "bank-account.bank-name-required", "the bank (开户行)");
        var accountName = RequiredName(AccountName, $"{field}.accountName", "bank-account.account-name-required", "the account holder (户名)");
        var number = string.Concat((AccountNumber ?? string.Empty).Where(c => !char.IsWhiteSpace(c)));
        if (number.Length is < 8 or > 30 || !number.All(char.IsAsciiDigit))
        {
            throw new DomainException(
                "bank-account.number-format",
                $"{field}.accountNumber: '{AccountNumber}' is not a bank account number (8 to 30 digits; spaces are ignored).");
        }
        return new BankAccount(bankName, accountName, number);
    }

    /// <summary>The form a correction records: bank, holder and number joined by '|', which names may not contain.</summary>
    public string ToCorrectionValue() => string.Join(Separator, BankName, AccountName, AccountNumber);

    public static BankAccount FromCorrectionValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(Separator);
        return parts.Length == 3
            ? new BankAccount(parts[0], parts[1], parts[2])
            : throw new FormatException($"'{value}' is not a recorded bank account (bank|holder|number).");
    }

    private static string RequiredName(string? value, string field, string code, string what)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new DomainException(code, $"{field}: {what} is required.");
        }
        if (trimmed.Contains(Separator, StringComparison.Ordinal))
        {
            throw new DomainException("bank-account.separator", $"{field}: '{trimmed}' contains '{Separator}', which bank and holder names may not contain.");
        }
        return trimmed;
    }
}
