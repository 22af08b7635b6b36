namespace Ledger;

/// <summary>
/// A command broke a rule of the ledger. <see cref="Code"/> is stable (for HTTP problem types and tests);
/// <see cref="Exception.Message"/> names the field or state and says what to do.
/// </summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
