using NodaTime;

namespace Ledger.Awards;

/// <summary>Lowers an up-to award. The caller passes the amount already paid on it to the decider.</summary>
/// <param name="DecidedOn">When the government decided the lower amount, if not the day it is recorded (an import of a past decision).</param>
public sealed record RedetermineAward(Guid AwardId, Money NewAmount, string Reason, string Actor, Instant At, LocalDate? DecidedOn = null) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>Cancels the unpaid part of an award, e.g. after the designation was revoked.</summary>
public sealed record CancelAward(Guid AwardId, string Reason, string Actor, Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>Follows every policy issue or amendment, after its commit: catch up on facts that committed meanwhile.</summary>
public sealed record CatchUpPolicy(Guid PolicyId);

/// <summary>Follows every recognition and passed renewal, after its commit: determine what policies issued meanwhile owe for it.</summary>
public sealed record CatchUpDesignation(Guid DesignationId);
