using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using NodaTime;

namespace Ledger;

/// <summary>
/// Who issues a command, when (from the injected clock, at the edge), and under which idempotency key.
/// </summary>
public sealed record CommandContext(string Actor, string Role, Instant Now, string? IdempotencyKey = null, Guid? CorrelationId = null)
{
    public EventMetadata Metadata(string? reason = null) =>
        new(Actor, Role, CorrelationId ?? Guid.NewGuid(), null, IdempotencyKey, reason);
}

/// <summary>
/// What tells "the same command again" from "a different command under the same key": the command's
/// type and payload, never values the server assigns (time, ids), so an honest retry is recognised.
/// </summary>
public static class Fingerprint
{
    public static string Of<TCommand>(TCommand command) where TCommand : notnull
    {
        var json = JsonSerializer.Serialize(command, command.GetType(), LedgerJson.Options);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command.GetType().Name + "\n" + json)));
    }
}
