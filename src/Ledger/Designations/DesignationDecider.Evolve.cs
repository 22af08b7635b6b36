using NodaTime;

namespace Ledger.Designations;

public static partial class DesignationDecider
{
    public static DesignationState Evolve(DesignationState state, IDesignationEvent @event)
    {
        var next = @event switch
        {
            DeclarationSubmitted e => Identified(state, e.DesignationId, e.EnterpriseId, e.Uscc, e.CountyCode, e.Tier, e.Round) with
            {
                Status = DesignationStatus.Declared,
                DeclaredOn = e.DeclaredOn,
            },
            DeclarationReviewed e => state with
            {
                LastReviewLevel = e.Level,
                Status = e.Outcome == ReviewOutcome.Recommended ? DesignationStatus.Recommended : DesignationStatus.Rejected,
            },
            DesignationRecognized e => Identified(state, e.DesignationId, e.EnterpriseId, e.Uscc, e.CountyCode, e.Tier, e.Round) with
            {
                Status = DesignationStatus.Recognized,
                RecognizedOn = e.RecognizedOn,
                Validity = [new ValidityPeriod(e.ValidFrom, e.ValidTo)],
            },
            RenewalImportedWithoutBase e => Identified(state, e.DesignationId, e.EnterpriseId, e.Uscc, e.CountyCode, e.Tier, e.Round) with
            {
                Status = DesignationStatus.Recognized,
                Validity = [new ValidityPeriod(e.DecidedOn, e.ValidTo)],
                Renewals = 1,
            },
            RenewalReviewed { Outcome: RenewalOutcome.Passed } e => state with
            {
                Status = DesignationStatus.Recognized,
                Validity = Renewed(state.Validity, e.DecidedOn, e.NewValidTo!.Value),
                Renewals = state.Renewals + 1,
            },
            RenewalReviewed e => state with { Status = DesignationStatus.RenewalFailed, EndedOn = e.DecidedOn },
            DesignationRevoked e => state with { Status = DesignationStatus.Revoked, EndedOn = e.RevokedOn },
            DesignationExpired => state with { Status = DesignationStatus.Expired },
            _ => throw new ArgumentException($"Not a designation event: {@event.GetType().Name}", nameof(@event)),
        };
        return next with { StreamVersion = state.StreamVersion + 1 };
    }

    /// <summary>
    /// A pass decided while still valid (or on the day after valid-to) continues the period; a pass after a gap
    /// reinstates the designation from the decision date, leaving the gap unvalidated. This depends on the dates
    /// only, not on whether the expiry run had recorded the expiry yet.
    /// </summary>
    /// <summary>The designation's identity, as the event that starts (or recognises) it names it.</summary>
    private static DesignationState Identified(
        DesignationState state, Guid id, Guid enterpriseId, string uscc, string countyCode, string tier, int round) =>
        state with { Id = id, EnterpriseId = enterpriseId, Uscc = uscc, CountyCode = countyCode, Tier = tier, Round = round };

    private static IReadOnlyList<ValidityPeriod> Renewed(IReadOnlyList<ValidityPeriod> validity, LocalDate decidedOn, LocalDate newValidTo)
    {
        var last = validity[^1];
        return decidedOn <= last.To.PlusDays(1)
            ? [.. validity.Take(validity.Count - 1), last with { To = newValidTo }]
            : [.. validity, new ValidityPeriod(decidedOn, newValidTo)];
    }
}
