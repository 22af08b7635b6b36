namespace Ledger.EventStore;

/// <summary>
/// The environment failed, not the input: PostgreSQL binaries missing, database unreachable,
/// a data folder in use. The CLI maps it to exit code 3.
/// </summary>
public sealed class LedgerEnvironmentException : Exception
{
    /// <summary>Creates the exception with a message that says what to do.</summary>
    public LedgerEnvironmentException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the underlying failure.</summary>
    public LedgerEnvironmentException(string message, Exception inner) : base(message, inner) { }
}
