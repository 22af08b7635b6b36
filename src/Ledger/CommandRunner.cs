using Ledger.EventStore;

namespace Ledger;

/// <summary>
/// The one path every command takes: answer a retried idempotency key with its first result, else
/// decide (load state, run the pure decider) and append what was decided in one transaction. A
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
        CancellationToken cancellationToken = default)
    {
        var fingerprint = context.IdempotencyKey is null ? null : Fingerprint.Of(fingerprintPayload);
        if (context.IdempotencyKey is { } key && await store.IdempotentResultAsync(key, fingerprint!, cancellationToken) is { } first)
        {
            return first;
        }
        var appends = (await decide(cancellationToken)).Where(a => a.Events.Count > 0).ToList();
        if (appends.Count == 0)
        {
            return null;
        }
        return await store.AppendAsync(appends, context.Metadata(reason), fingerprint, cancellationToken);
    }
}
