using Ledger.EventStore;
using Ledger.Reference;

namespace Ledger.PublishedFigures;

/// <summary>Records and revises published figures, each its own stream (jurisdiction × year × measure × basis).</summary>
public sealed class PublishedFigureHandler(CommandRunner runner, ReferenceData reference, PublishedMeasures measures)
{
    public const string StreamType = "published-figure";

    public PublishedMeasures Measures => measures;

    /// <summary>All figures in one commit, or none: every figure is checked first, and every refusal is listed.</summary>
    public async Task<int> RecordAsync(RecordPublishedFigures command, CommandContext context, CancellationToken cancellationToken = default)
    {
        var result = await runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var appends = new List<StreamAppend>();
            var problems = new List<string>();
            foreach (var (figure, index) in command.Figures.Select((f, i) => (f, i)))
            {
                try
                {
                    var current = await LoadAsync(figure, null, ct);
                    if (PublishedFigureDecider.Decide(figure, current.State, command.Actor, command.At, reference, measures) is { } recorded
                        && appends.All(a => a.StreamId != recorded.FigureId))
                    {
                        appends.Add(new StreamAppend(recorded.FigureId, StreamType, current.Version, figure.JurisdictionCode, [recorded]));
                    }
                }
                catch (DomainException e)
                {
                    problems.Add($"figure {index + 1}: {e.Message}");
                }
            }
            return problems.Count == 0
                ? appends
                : throw new DomainException("published-figure.invalid", string.Join(Environment.NewLine, problems));
        }, cancellationToken: cancellationToken);
        return result?.Streams.Count ?? 0;
    }

    public Task ReviseAsync(RevisePublishedFigure command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var current = await LoadAsync(command.Figure, null, ct);
            var revised = PublishedFigureDecider.Decide(command, current.State, reference, measures);
            return [new StreamAppend(revised.FigureId, StreamType, current.Version, command.Figure.JurisdictionCode, [revised])];
        }, command.Reason, cancellationToken);

    /// <summary>The figure as the books held it (now, or as of a limit).</summary>
    public Task<Aggregated<PublishedFigure>> LoadAsync(string jurisdictionCode, int year, string measure, FigureBasis basis, ReadLimit? limit, CancellationToken cancellationToken) =>
        runner.Store.AggregateStreamAsync(PublishedFigure.StreamIdFor(jurisdictionCode, year, measure, basis), PublishedFigure.Initial,
            PublishedFigure.Fold, limit, cancellationToken);

    private Task<Aggregated<PublishedFigure>> LoadAsync(FigureInput figure, ReadLimit? limit, CancellationToken cancellationToken) =>
        LoadAsync(figure.JurisdictionCode, figure.Year, figure.Measure, figure.Basis, limit, cancellationToken);
}
