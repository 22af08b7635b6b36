using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;
using JasperFx.Events.Projections;
using Ledger.EventStore.Marten;
using Marten;
using Npgsql;

namespace Ledger;

/// <summary>The ledger wired together: the event store with its inline projections, and one handler per feature.</summary>
public sealed class LedgerApp
{
    /// <summary>The default approval chain: one approver below 500,000 元, two at or above (a policy may set its own threshold).</summary>
    public static ApprovalSettings DefaultApprovals { get; } = new(Money.Of(500_000m));

    public LedgerApp(LedgerDatabase database, ReferenceData reference, ApprovalSettings? approvals = null)
    {
        Reference = reference;
        Marten = DocumentStore.For(options => Configure(options, database.App));
        Store = new EventStore.EventStore(Marten, database.App, EventTypeRegistry.FromAssemblies(typeof(LedgerApp).Assembly));
        var runner = new CommandRunner(Store);
        Enterprises = new EnterpriseHandler(runner, reference);
        Awards = new AwardHandler(runner, reference);
        Policies = new PolicyHandler(runner, reference, Awards);
        Designations = new DesignationHandler(runner, reference, Enterprises, Awards);
        Budgets = new BudgetHandler(runner, reference);
        Disbursements = new DisbursementHandler(runner, reference, approvals ?? DefaultApprovals, Awards, Designations, Enterprises, Budgets);
        Clawbacks = new ClawbackHandler(runner, Awards);
    }

    /// <summary>Marten configured for the ledger: its events, and the inline projections handlers decide on.</summary>
    public static void Configure(StoreOptions options, NpgsqlDataSource dataSource)
    {
        LedgerStoreOptions.Configure(options, dataSource, typeof(LedgerApp).Assembly);
        options.Projections.Add(new DesignationProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new PolicyProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new AwardProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new DisbursementProjection(), ProjectionLifecycle.Inline);
    }

    public IDocumentStore Marten { get; }

    public ReferenceData Reference { get; }

    public EventStore.EventStore Store { get; }

    public EnterpriseHandler Enterprises { get; }

    public AwardHandler Awards { get; }

    public PolicyHandler Policies { get; }

    public DesignationHandler Designations { get; }

    public BudgetHandler Budgets { get; }

    public DisbursementHandler Disbursements { get; }

    public ClawbackHandler Clawbacks { get; }
}
