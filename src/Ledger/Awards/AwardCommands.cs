using NodaTime;

namespace Ledger.Awards;

/// <summary>Lowers an up-to award. The caller passes the amount already paid on it to the decider.</summary>
public sealed record RedetermineAward(Guid AwardId, Money NewAmount, string Reason, string Actor, Instant At);

/// <summary>Cancels the unpaid part of an award, e.g. after the designation was revoked.</summary>
public sealed record CancelAward(Guid AwardId, string Reason, string Actor, Instant At);
