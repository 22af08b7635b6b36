using Ledger.EventStore;
using Ledger.PublishedFigures;
using Ledger.Reference;
using Ledger.Reports;
using Marten;

namespace Ledger;

/// <summary>
/// The ledger for reading only: the event store and the reports over a database, without Wolverine's host, so a
/// reading command never starts handlers or recovers messages another process owns.
/// </summary>
public sealed class LedgerReadSide : IDisposable
{
    private readonly DocumentStore _documents;

    public LedgerReadSide(LedgerDatabase database, ReferenceData reference, PublishedMeasures? measures = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _documents = DocumentStore.For(options => LedgerApp.Configure(options, database.App));
        Store = new EventStore.EventStore(_documents, database.App, LedgerApp.EventTypes);
        Reference = reference;
        Measures = measures ?? PublishedMeasures.LoadDefault(reference);
        Reports = new ReportReader(Store, reference, Measures);
    }

    public EventStore.EventStore Store { get; }

    public ReferenceData Reference { get; }

    public PublishedMeasures Measures { get; }

    public ReportReader Reports { get; }

    public void Dispose() => _documents.Dispose();
}
