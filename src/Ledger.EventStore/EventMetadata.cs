namespace Ledger.EventStore;

/// <summary>Who did it and why, stored beside every event of a command.</summary>
/// <param name="Actor">The user who issued the command.</param>
/// <param name="Role">The role they acted in (clerk, approver, admin, system, import).</param>
/// <param name="CorrelationId">Shared by every event that one request or job caused.</param>
/// <param name="CausationId">The event or command that caused this one, when there is one.</param>
/// <param name="IdempotencyKey">The command's idempotency key, when it carried one.</param>
/// <param name="Reason">Free text the user gave, if any.</param>
/// <param name="OsUser">The operating-system user behind a command-line actor, when that differs from the actor.</param>
public sealed record EventMetadata(
    string Actor,
    string Role,
    Guid CorrelationId,
    Guid? CausationId = null,
    string? IdempotencyKey = null,
    string? Reason = null,
    string? OsUser = null);
