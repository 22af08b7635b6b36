using Ledger.EventStore;
using Wolverine.Runtime;

namespace Ledger;

/// <summary>
/// The one path every command takes inside its Wolverine handler: decide (load state, run the pure decider) and append
/// what was decided — every stream at its own expected version, the idempotency record and any follow-up message — in
/// the handler's one Marten session, committed once; a retried idempotency key is answered with its first result. A
/// concurrent change to a stream it decided on surfaces as <see cref="ConcurrencyException"/>.
/// </summary>
public sealed class CommandRunner(EventStore.EventStore store)
{
    public EventStore.EventStore Store => store;

    /// <returns>The append's result, or null when the decider decided nothing.</returns>
    public async Task<AppendResult?> RunAsync(
        CommandContext context,
        object fingerprintPayload,
        Func<CancellationToken, Task<IReadOnlyList<StreamAppend>>> decide,
        string? reason = null,
        CancellationToken cancellationToken = default,
        IReadOnlyList<object>? followUps = null)
    {
        var fingerprint = context.IdempotencyKey is null ? null : Fingerprint.Of(fingerprintPayload);
        try
        {
            var appends = (await decide(cancellationToken)).Where(a => a.Events.Count > 0).ToList();
            if (appends.Count == 0)
            {
                // Deciding nothing may be a retry of a command that decided something the first time.
                return context.IdempotencyKey is { } key ? await store.IdempotentResultAsync(key, fingerprint!, cancellationToken) : null;
            }
            var session = context.Session ?? throw new InvalidOperationException("commands run inside their Wolverine handler, which provides the session");
            var pending = EventStore.EventStore.Stage(session, new CommandAppend(appends, context.Metadata(reason), fingerprint));
            foreach (var message in followUps ?? [])
            {
                // Published before the commit: Wolverine's outbox stores it in the same transaction as the events.
                await context.Messages!.PublishAsync(message);
            }
            await EventStore.EventStore.SaveAsync(session, pending, cancellationToken);
            return pending.Result();
        }
        catch (Exception e) when (context.IdempotencyKey is { } raced && e is ConcurrencyException or IdempotencyRaceException or DomainException)
        {
            // The key was used before: a retry, or two first uses at once of which the other committed first. The key is
            // not looked up before deciding (a round trip every command would pay): a retry decides again, and either the
            // decider refuses what the first use did, or the commit meets the key's primary key. Either way the answer is
            // the first result (or, for a different command under the key, the typed refusal); a failed save left nothing
            // pending.
            if (await store.IdempotentResultAsync(raced, fingerprint!, cancellationToken) is { } winner)
            {
                // The follow-ups this attempt published went down with its transaction, but Wolverine would still send
                // them from memory once the handler returns (a second treasury instruction for one approval).
                if (context.Messages is MessageContext messages)
                {
                    await messages.ClearAllAsync();
                }
                return winner;
            }
            throw;
        }
    }
}
