using Marten;
using Wolverine;

namespace Ledger.Awards;

/// <summary>The Wolverine handlers of the awards commands: each runs one command in the session Wolverine opened for it.</summary>
public static class AwardCommandHandler
{
    public static Task Handle(RedetermineAward command, AwardHandler awards, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        awards.RedetermineAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(CatchUpPolicy message, AwardHandler awards, NodaTime.IClock clock, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        awards.CatchUpAsync(message, CommandContext.System(clock, session, messages), cancellationToken);

    public static Task Handle(CatchUpDesignation message, AwardHandler awards, NodaTime.IClock clock, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        awards.CatchUpAsync(message, CommandContext.System(clock, session, messages), cancellationToken);
}
