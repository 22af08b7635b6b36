using Ledger.EventStore;
using Ledger.ReadModels;
using NodaTime;

namespace Ledger.Imports;

/// <summary>An event of an import's own stream (one per set of files, named by their digest).</summary>
public interface IImportEvent
{
    Guid ImportId { get; }
}

/// <summary>
/// An import began writing: in the first commit of its rows. An import committed in one transaction records it with
/// <see cref="ImportFinished"/> in that transaction; a larger one commits in batches, and until its last batch carries
/// <see cref="ImportFinished"/> the import is unfinished (reports warn; running it again finishes it).
/// </summary>
[EventType("import-started")]
public sealed record ImportStarted(
    Guid ImportId, string ImportBatch, string Digest, IReadOnlyList<string> Files, int Rows, int NewEvents, int Commits, string Actor, Instant At) : IImportEvent;

/// <summary>The import's last rows committed; <see cref="Counts"/> says what it recorded (over every run that finished it).</summary>
[EventType("import-finished")]
public sealed record ImportFinished(Guid ImportId, string ImportBatch, ImportCounts Counts, string Actor, Instant At) : IImportEvent;

/// <summary>What an import recorded, by kind; <see cref="Held"/> counts rows the ledger already held (written by no one this time).</summary>
public sealed record ImportCounts(
    int Policies, int Enterprises, int BudgetLines, int Recognitions, int Renewals, int Awards, int Lowerings, int Payments,
    int Returns, int Clawbacks, int Repayments, int Figures, int PrerequisiteOverrides, int RenewalsWithoutBase, int Held)
{
    public static ImportCounts Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public int New => Policies + Enterprises + BudgetLines + Recognitions + Renewals + Lowerings + Payments + Returns + Clawbacks + Repayments + Figures;
}

/// <summary>Keeps <c>imports</c>: each import and whether it finished, so reports can warn while one is unfinished.</summary>
public sealed class ImportProjection : IReadProjection
{
    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.Imports];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case ImportStarted e:
                writer.Insert(ReadTables.Imports, e.ImportId, e.ImportBatch, e.Actor, e.Rows, "started");
                break;
            case ImportFinished e:
                writer.Update(ReadTables.Imports, [e.ImportId], new Assignment("status", "finished"));
                break;
        }
    }
}
