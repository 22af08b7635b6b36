using Marten;
using Wolverine;

namespace Ledger.Policies;

/// <summary>The Wolverine handlers of the policies commands: each runs one command in the session Wolverine opened for it.</summary>
public static class PolicyCommandHandler
{
    public static Task<Guid> Handle(IssueAwardPolicy command, PolicyHandler policies, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        policies.IssueAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(AmendAwardPolicy command, PolicyHandler policies, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        policies.AmendAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(RetireAwardPolicy command, PolicyHandler policies, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        policies.RetireAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);
}
