using System.Reflection;
using Ledger.EventStore;
using Ledger.EventStore.Marten;
using Marten;

namespace Ledger.Testing;

/// <summary>Marten configured as the ledger configures it, for the event types of the given assemblies (tests of the store alone).</summary>
public static class TestStores
{
    /// <summary>An event store over <paramref name="database"/>'s application role.</summary>
    public static EventStore.EventStore Create(LedgerDatabase database, params Assembly[] eventAssemblies)
    {
        var events = EventTypeRegistry.FromAssemblies(eventAssemblies);
        var marten = DocumentStore.For(options => LedgerStoreOptions.Configure(options, database.App, events));
        return new EventStore.EventStore(marten, database.App, events);
    }
}
