using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using Marten;
using NodaTime;
using NodaTime.Text;
using Wolverine;

namespace Ledger;

/// <summary>Who sends a command: the identity the edge stamps on it, the role they act in, and the idempotency key.</summary>
/// <param name="Actor">The user (CLI: <c>--actor</c>, default the OS user).</param>
/// <param name="Role">clerk, approver, admin, auditor, import, system.</param>
/// <param name="IdempotencyKey">Repeating a command under its key returns the first result and appends nothing.</param>
/// <param name="CorrelationId">Shared by everything one request or job causes; new when null.</param>
/// <param name="OsUser">The operating-system user behind a command-line actor, recorded beside it.</param>
public sealed record Caller(string Actor, string Role, string? IdempotencyKey = null, Guid? CorrelationId = null, string? OsUser = null);

/// <summary>
/// One command being handled: who sent it, when (stamped at the edge from the injected clock), under which
/// idempotency key, and the Marten session (enrolled in Wolverine's outbox) its events are appended in.
/// </summary>
public sealed record CommandContext(string Actor, string Role, Instant Now, string? IdempotencyKey = null, Guid? CorrelationId = null)
{
    /// <summary>The session every append of the command goes into; it commits once.</summary>
    public IDocumentSession? Session { get; init; }

    /// <summary>Wolverine's context of the message: follow-up messages published here commit with the events.</summary>
    public IMessageContext? Messages { get; init; }

    /// <summary>The OS user behind a command-line actor.</summary>
    public string? OsUser { get; init; }

    /// <summary>The command as the edge sent it: actor, instant, role and key from the envelope's headers.</summary>
    public static CommandContext Of(Envelope envelope, IDocumentSession session, IMessageContext messages) =>
        new(Header(envelope, LedgerHeaders.Actor) ?? throw new InvalidOperationException("a command reached its handler without an actor: send it through LedgerApp.SendAsync"),
            Header(envelope, LedgerHeaders.Role) ?? "system",
            InstantPattern.ExtendedIso.Parse(Header(envelope, LedgerHeaders.At) ?? "").GetValueOrThrow(),
            Header(envelope, LedgerHeaders.IdempotencyKey),
            Guid.TryParse(Header(envelope, LedgerHeaders.Correlation), out var correlation) ? correlation : null)
        {
            Session = session,
            Messages = messages,
            OsUser = Header(envelope, LedgerHeaders.OsUser),
        };

    /// <summary>A follow-up the ledger sends itself (a catch-up after a commit): the system, now.</summary>
    public static CommandContext System(IClock clock, IDocumentSession session, IMessageContext messages) =>
        new("system", "system", clock.GetCurrentInstant(), null, Guid.TryParse(messages.CorrelationId, out var correlation) ? correlation : null)
        {
            Session = session,
            Messages = messages,
        };

    public EventMetadata Metadata(string? reason = null) =>
        new(Actor, Role, CorrelationId ?? Guid.NewGuid(), null, IdempotencyKey, reason, OsUser);

    private static string? Header(Envelope envelope, string key) =>
        envelope.Headers.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}

/// <summary>
/// What tells "the same command again" from "a different command under the same key": the command's
/// type and payload (the actor included), never values the server assigns (time, ids), so an honest retry is recognised.
/// </summary>
public static class Fingerprint
{
    private static readonly JsonSerializerOptions Canonical = CreateCanonical();

    public static string Of<TCommand>(TCommand command) where TCommand : notnull
    {
        var json = JsonSerializer.Serialize(command, command.GetType(), Canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command.GetType().Name + "\n" + json)));
    }

    private static JsonSerializerOptions CreateCanonical()
    {
        var options = LedgerJson.CreateMutable();
        options.Converters.Add(new CanonicalDecimalConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>A decimal by its value, not its scale: 100000, 100000.0 and 100000.00 are one amount.</summary>
    private sealed class CanonicalDecimalConverter : System.Text.Json.Serialization.JsonConverter<decimal>
    {
        // Dividing by 1 with 28 zeros drops trailing zeros (100000.00 → 100000) and keeps every significant digit.
        private const decimal Normalizer = 1.0000000000000000000000000000m;

        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value / Normalizer);
    }
}
