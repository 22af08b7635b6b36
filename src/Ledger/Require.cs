namespace Ledger;

/// <summary>The checks every decider makes on command input, with the ledger's message style.</summary>
internal static class Require
{
    public static string Text(string? value, string code, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainException(code, $"{field} is required: it must not be empty.");
        }
        return value.Trim();
    }
}
