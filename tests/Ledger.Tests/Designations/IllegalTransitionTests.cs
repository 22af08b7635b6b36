using Ledger.Designations;
using Ledger.Tests.Support;
using static Ledger.Tests.Designations.DesignationFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Designations;

/// <summary>Every (state, command) pair the state machine does not allow, each refused with the state and the ways on.</summary>
public class IllegalTransitionTests
{
    public enum Step { ReviewDeclaration, Recognize, ReviewRenewal, Revoke }

    private static readonly Dictionary<Step, DesignationStatus[]> Allowed = new()
    {
        [Step.ReviewDeclaration] = [DesignationStatus.Declared, DesignationStatus.Recommended],
        [Step.Recognize] = [DesignationStatus.Recommended],
        [Step.ReviewRenewal] = [DesignationStatus.Recognized, DesignationStatus.Expired],
        [Step.Revoke] = [DesignationStatus.Recognized, DesignationStatus.Expired],
    };

    public static TheoryData<DesignationStatus, Step> IllegalPairs()
    {
        var data = new TheoryData<DesignationStatus, Step>();
        foreach (var step in Enum.GetValues<Step>())
        {
            foreach (var status in Enum.GetValues<DesignationStatus>().Where(s => !Allowed[step].Contains(s)))
            {
                data.Add(status, step);
            }
        }
        return data;
    }

    public static TheoryData<DesignationStatus, Step> LegalPairs()
    {
        var data = new TheoryData<DesignationStatus, Step>();
        foreach (var (step, statuses) in Allowed)
        {
            foreach (var status in statuses)
            {
                data.Add(status, step);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void Illegal_transition_is_refused_naming_the_state_and_the_allowed_next_steps(DesignationStatus status, Step step)
    {
        var error = Spec.Given(InStatus(status)).When(h => Attempt(step, h)).ThenFails("designation.illegal-transition");

        error.Message.ShouldContain(status switch
        {
            DesignationStatus.None when step == Step.Recognize => "has no declaration for provincial-srdi",
            DesignationStatus.None => "has not been started",
            DesignationStatus.RenewalFailed => "is renewal-failed",
            _ => $"is {status.ToString().ToLowerInvariant()}",
        });
        error.Message.ShouldContain("Allowed next: ");
    }

    [Theory]
    [MemberData(nameof(LegalPairs))]
    public void Allowed_transition_produces_its_event(DesignationStatus status, Step step) =>
        Spec.Given(InStatus(status)).When(h => Attempt(step, h)).ThenSingle<IDesignationEvent>().DesignationId.ShouldBe(Id());

    private static object Attempt(Step step, History history) => step switch
    {
        Step.ReviewDeclaration => DesignationDecider.Decide(
            new ReviewDeclaration(Id(), ReviewLevel.Province, ReviewOutcome.Recommended, "reviewer-province", null, D(2022, 4, 2), Clerk, At),
            history.Designation(Id()), Data),
        Step.Recognize => DesignationDecider.Decide(Recognize(), Firm(history), history.Designations(), Data),
        Step.ReviewRenewal => DesignationDecider.Decide(RenewalCommand(RenewalOutcome.Passed, D(2025, 5, 20)), history.Designation(Id()), false, Firm(history), Data),
        _ => DesignationDecider.Decide(Revoke(), history.Designation(Id())),
    };
}
