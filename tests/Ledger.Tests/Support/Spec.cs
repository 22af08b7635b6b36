using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;

namespace Ledger.Tests.Support;

/// <summary>
/// Given(events) / When(decision) / Then(events or error). The decision receives the given history and folds the
/// streams it needs from it, as a handler would from the event store.
/// </summary>
public static class Spec
{
    public static Scenario Given(params object[] events) => new([.. events]);
}

public sealed class Scenario(List<object> history)
{
    public Scenario And(params object[] events)
    {
        history.AddRange(events);
        return this;
    }

    /// <param name="decide">Returns one event, several, a <see cref="Decision"/> (its award events, then its budget events), or null for "no event".</param>
    public Outcome When(Func<History, object?> decide)
    {
        try
        {
            return decide(new History(history)) switch
            {
                null => new Outcome([], null),
                Decision decision => new Outcome(decision.Events, null),
                IEnumerable<object> many => new Outcome([.. many], null),
                var one => new Outcome([one], null),
            };
        }
        catch (DomainException error)
        {
            return new Outcome(null, error);
        }
    }
}

public sealed class Outcome(IReadOnlyList<object>? events, DomainException? error)
{
    /// <summary>Exactly these events, compared field by field (lists element by element).</summary>
    public void Then(params object[] expected)
    {
        var actual = Events();
        EventDump.Of(actual).ShouldBe(EventDump.Of(expected));
    }

    public void ThenNothing() => Events().ShouldBeEmpty();

    public T ThenSingle<T>()
    {
        var actual = Events();
        actual.Count.ShouldBe(1, EventDump.Of(actual));
        return actual[0].ShouldBeAssignableTo<T>()!;
    }

    public DomainException ThenFails(string code)
    {
        events.ShouldBeNull($"expected {code}, got events:\n{(events is null ? "" : EventDump.Of(events))}");
        error.ShouldNotBeNull();
        error.Code.ShouldBe(code, error.Message);
        return error;
    }

    /// <summary>The events decided (failing when the decision was an error), for assertions on a part of them.</summary>
    public IReadOnlyList<object> Events()
    {
        error.ShouldBeNull($"unexpected {error?.Code}: {error?.Message}");
        return events!;
    }
}

/// <summary>The given events, folded per stream on demand.</summary>
public sealed class History(IReadOnlyList<object> events)
{
    public DesignationState Designation(Guid id) =>
        events.OfType<IDesignationEvent>().Where(e => e.DesignationId == id).Aggregate(DesignationState.Initial, DesignationDecider.Evolve);

    public IReadOnlyCollection<DesignationState> Designations() =>
        [.. events.OfType<IDesignationEvent>().GroupBy(e => e.DesignationId).Select(g => g.Aggregate(DesignationState.Initial, DesignationDecider.Evolve))];

    public AwardPolicyState Policy(Guid id) =>
        events.OfType<IAwardPolicyEvent>().Where(e => e.PolicyId == id).Aggregate(AwardPolicyState.Initial, AwardPolicyDecider.Evolve);

    /// <summary>The only policy of the history (or the initial state when there is none).</summary>
    public AwardPolicyState Policy() =>
        Policy(events.OfType<IAwardPolicyEvent>().Select(e => e.PolicyId).Distinct().SingleOrDefault());

    public AwardState Award(Guid id) =>
        events.OfType<IAwardEvent>().Where(e => e.AwardId == id).Aggregate(AwardState.Initial, AwardDecider.Evolve);

    public IReadOnlyCollection<AwardState> Awards() =>
        [.. events.OfType<IAwardEvent>().GroupBy(e => e.AwardId).Select(g => g.Aggregate(AwardState.Initial, AwardDecider.Evolve))];

    /// <summary>The whole award stream: the award's own events and its disbursements and clawbacks.</summary>
    public AwardAccount Account(Guid awardId) =>
        events
            .Where(e => e is IAwardEvent a && a.AwardId == awardId || e is IAwardAccountEvent d && d.AwardId == awardId)
            .Aggregate(AwardAccount.Initial, AwardAccount.Fold);

    public BudgetLine Line(BudgetLineKey key) =>
        events.OfType<IBudgetEvent>().Where(e => e.Line == key).Aggregate(BudgetLine.Initial(key), BudgetLine.Evolve);

    public Enterprise Enterprise(Guid id) =>
        events.Where(e => e is EnterpriseRegistered r && r.EnterpriseId == id || e is EnterpriseDetailsCorrected c && c.EnterpriseId == id
                || e is EnterpriseRelocated m && m.EnterpriseId == id)
            .Aggregate((Enterprise?)null, Ledger.Enterprises.Enterprise.Fold)
        ?? throw new InvalidOperationException($"enterprise {id} is not in the given history");

    public bool HasEnterprise(Guid id) => events.Any(e => e is EnterpriseRegistered r && r.EnterpriseId == id);
}
