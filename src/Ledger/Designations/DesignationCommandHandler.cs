using Marten;
using Wolverine;

namespace Ledger.Designations;

/// <summary>The Wolverine handlers of the designations commands: each runs one command in the session Wolverine opened for it.</summary>
public static class DesignationCommandHandler
{
    public static Task<Guid> Handle(SubmitDeclaration command, DesignationHandler designations, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        designations.SubmitAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(ReviewDeclaration command, DesignationHandler designations, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        designations.ReviewAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task<Guid> Handle(RecognizeDesignation command, DesignationHandler designations, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        designations.RecognizeAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task<Guid> Handle(ImportRenewalWithoutBase command, DesignationHandler designations, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        designations.ImportRenewalAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(ReviewRenewal command, DesignationHandler designations, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        designations.RenewAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(RevokeDesignation command, DesignationHandler designations, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        designations.RevokeAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task<int> Handle(ExpireDesignations command, DesignationHandler designations, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        designations.ExpireAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);
}
