using NodaTime;

namespace Ledger;

/// <summary>
/// A command a user sends. Its actor and instant are never taken from the caller: the edge
/// (<see cref="LedgerApp.SendAsync{TResult}"/>) stamps them from the caller's identity and the injected clock before
/// any handler runs. Business dates (decision date, value date) stay as the caller gave them.
/// </summary>
public interface ILedgerCommand
{
    /// <summary>The same command, issued by <paramref name="actor"/> at <paramref name="at"/>.</summary>
    ILedgerCommand Stamp(string actor, Instant at);
}

/// <summary>A command that answers with a value (the id of what it created, a count).</summary>
public interface ILedgerCommand<TResult> : ILedgerCommand;
