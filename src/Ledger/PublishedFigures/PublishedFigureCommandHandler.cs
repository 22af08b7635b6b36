using Marten;
using Wolverine;

namespace Ledger.PublishedFigures;

/// <summary>The Wolverine handlers of the published-figure commands: each runs one command in the session Wolverine opened for it.</summary>
public static class PublishedFigureCommandHandler
{
    public static Task<int> Handle(RecordPublishedFigures command, PublishedFigureHandler figures, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        figures.RecordAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);

    public static Task Handle(RevisePublishedFigure command, PublishedFigureHandler figures, Envelope envelope, IDocumentSession session, IMessageContext messages, CancellationToken cancellationToken) =>
        figures.ReviseAsync(command, CommandContext.Of(envelope, session, messages), cancellationToken);
}
