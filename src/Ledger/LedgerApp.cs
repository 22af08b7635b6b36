using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;

namespace Ledger;

/// <summary>The ledger wired together: the event store with its inline projections, and one handler per feature.</summary>
public sealed class LedgerApp
{
    /// <summary>The default approval chain: one approver below 500,000 元, two at or above (a policy may set its own threshold).</summary>
    public static ApprovalSettings DefaultApprovals { get; } = new(Money.Of(500_000m));

    public LedgerApp(LedgerDatabase database, ReferenceData reference, ApprovalSettings? approvals = null)
    {
        Reference = reference;
        Store = new EventStore.EventStore(
            database.App,
            EventTypeRegistry.FromAssemblies(typeof(LedgerApp).Assembly),
            [new DesignationProjection(), new PolicyProjection(), new AwardProjection(), new DisbursementProjection()]);
        var runner = new CommandRunner(Store);
        Enterprises = new EnterpriseHandler(runner, reference);
        Awards = new AwardHandler(runner, reference);
        Policies = new PolicyHandler(runner, reference, Awards);
        Designations = new DesignationHandler(runner, reference, Enterprises, Awards);
        Budgets = new BudgetHandler(runner, reference);
        Disbursements = new DisbursementHandler(runner, reference, approvals ?? DefaultApprovals, Awards, Designations, Enterprises, Budgets);
        Clawbacks = new ClawbackHandler(runner, Awards);
    }

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
