using Marten;
using Wolverine;

namespace Ledger.Enterprises;

/// <summary>The Wolverine handlers of the enterprises commands: each runs one command in the session Wolverine opened for it.</summary>
public static class EnterpriseCommandHandler
{
    public static Task<Guid> Handle(RegisterEnterprise command, EnterpriseHandler enterprises, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        enterprises.RegisterAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(CorrectEnterpriseDetails command, EnterpriseHandler enterprises, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        enterprises.CorrectAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(RelocateEnterprise command, EnterpriseHandler enterprises, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        enterprises.RelocateAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);
}
