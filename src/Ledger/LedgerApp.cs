using Ledger.Awards;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;

namespace Ledger;

/// <summary>The ledger wired together: the event store with its inline projections, and one handler per feature.</summary>
public sealed class LedgerApp
{
    public LedgerApp(LedgerDatabase database, ReferenceData reference)
    {
        Reference = reference;
        Store = new EventStore.EventStore(
            database.App,
            EventTypeRegistry.FromAssemblies(typeof(LedgerApp).Assembly),
            [new DesignationProjection(), new PolicyProjection(), new AwardProjection()]);
        var runner = new CommandRunner(Store);
        Enterprises = new EnterpriseHandler(runner, reference);
        Awards = new AwardHandler(runner, reference);
        Policies = new PolicyHandler(runner, reference, Awards);
        Designations = new DesignationHandler(runner, reference, Enterprises, Awards);
    }

    public ReferenceData Reference { get; }

    public EventStore.EventStore Store { get; }

    public EnterpriseHandler Enterprises { get; }

    public AwardHandler Awards { get; }

    public PolicyHandler Policies { get; }

    public DesignationHandler Designations { get; }
}
