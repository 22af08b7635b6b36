using NodaTime;

namespace Ledger.PublishedFigures;

/// <summary>One figure as a publication states it.</summary>
public sealed record FigureInput(
    string JurisdictionCode, int Year, string Measure, FigureBasis Basis, decimal Value, string Unit, bool LowerBound, string Source, string Quote)
{
    public FigureStatement Statement => new(Value, Unit, LowerBound, Source, Quote);
}

/// <summary>
/// Records published figures in one commit. A figure the ledger already holds with the same statement is a no-op; one
/// it holds with a different statement is refused (a newer publication is a revision, <see cref="RevisePublishedFigure"/>).
/// Answers how many figures were new.
/// </summary>
public sealed record RecordPublishedFigures(IReadOnlyList<FigureInput> Figures, string Actor, Instant At) : ILedgerCommand<int>
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>A newer publication of a recorded figure supersedes its statement.</summary>
public sealed record RevisePublishedFigure(FigureInput Figure, string Reason, string Actor, Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}
