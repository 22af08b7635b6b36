using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Ledger.Treasury;

/// <summary>
/// The Wolverine handler of treasury instructions, on a durable local queue of its own: a message is stored with the
/// approval that published it and recorded as handled only after its line is on disk, so a crash in between runs it
/// again, which the writer makes harmless.
/// </summary>
public static class TreasuryInstructionHandler
{
    /// <summary>The local queue treasury instructions travel on.</summary>
    public const string Queue = "treasury";

    public static Task Handle(WriteTreasuryInstruction message, TreasuryInstructionWriter writer, CancellationToken cancellationToken) =>
        writer.WriteAsync(message, cancellationToken);

    /// <summary>
    /// A line that cannot be written (the folder is a file, not writable, the disk is full) is tried three more times,
    /// then moved to Wolverine's dead letters (<c>ledger outbox</c> lists them); never dropped.
    /// </summary>
    public static void Configure(HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.OnAnyException()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))
            .Then.MoveToErrorQueue();
    }

    /// <summary>Routes the instructions to their durable local queue, one at a time per process.</summary>
    public static void Route(WolverineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PublishMessage<WriteTreasuryInstruction>().ToLocalQueue(Queue);
        options.LocalQueue(Queue).UseDurableInbox().Sequential();
    }
}
