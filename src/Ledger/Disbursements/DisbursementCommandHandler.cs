using Marten;
using Wolverine;

namespace Ledger.Disbursements;

/// <summary>The Wolverine handlers of the disbursements commands: each runs one command in the session Wolverine opened for it.</summary>
public static class DisbursementCommandHandler
{
    public static Task<Guid> Handle(RequestDisbursement command, DisbursementHandler disbursements, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        disbursements.RequestAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(ApproveDisbursement command, DisbursementHandler disbursements, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        disbursements.ApproveAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(RejectDisbursement command, DisbursementHandler disbursements, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        disbursements.RejectAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(CancelDisbursement command, DisbursementHandler disbursements, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        disbursements.CancelAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(RecordDisbursementPayment command, DisbursementHandler disbursements, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        disbursements.PayAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(RecordDisbursementReturn command, DisbursementHandler disbursements, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        disbursements.ReturnAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);
}
