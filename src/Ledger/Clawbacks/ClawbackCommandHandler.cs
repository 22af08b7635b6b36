using Marten;
using Wolverine;

namespace Ledger.Clawbacks;

/// <summary>The Wolverine handlers of the clawbacks commands: each runs one command in the session Wolverine opened for it.</summary>
public static class ClawbackCommandHandler
{
    public static Task Handle(DemandClawback command, ClawbackHandler clawbacks, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        clawbacks.DemandAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(RecordClawbackRepayment command, ClawbackHandler clawbacks, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        clawbacks.RepayAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);
}
