using Ledger.Reference;

namespace Ledger.Enterprises;

/// <summary>Decides enterprise commands: pure functions of the command, the current state and the reference data.</summary>
public static class EnterpriseDecider
{
    public static IReadOnlyList<object> Decide(RegisterEnterprise command, Enterprise? existing, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(reference);

        var uscc = Uscc.Parse(command.Uscc);
        if (existing is not null)
        {
            throw new DomainException(
                "enterprise.already-registered",
                $"USCC {uscc} is already registered as enterprise {existing.Id} ({existing.Name}); correct its details instead of registering it again.");
        }

        var registered = new EnterpriseRegistered(
            Enterprise.StreamIdFor(uscc),
            uscc.Value,
            RequiredText(command.Name, "name", "enterprise.name-required"),
            DivisionCode.RequireCountyExistingOn(reference, command.CountyCode, "countyCode", ChinaTime.DateOf(command.RegisteredAt), "the registration date").Code,
            RequiredText(command.Industry, "industry", "enterprise.industry-required"),
            command.BankAccount?.Validated(),
            RequiredText(command.RegisteredBy, "registeredBy", "enterprise.actor-required"),
            command.RegisteredAt);
        return [registered];
    }

    public static IReadOnlyList<object> Decide(CorrectEnterpriseDetails command, Enterprise state, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reference);

        if (command.EnterpriseId != state.Id)
        {
            throw new DomainException("enterprise.id-mismatch", $"enterpriseId: the command names {command.EnterpriseId} but the state loaded is {state.Id}.");
        }
        var reason = RequiredText(command.Reason, "reason", "enterprise.correction-reason-required");
        var correctedBy = RequiredText(command.CorrectedBy, "correctedBy", "enterprise.actor-required");

        var corrections = new List<FieldCorrection>();
        void Compare(string field, string? oldValue, string? newValue)
        {
            if (!string.Equals(oldValue, newValue, StringComparison.Ordinal))
            {
                corrections.Add(new FieldCorrection(field, oldValue, newValue));
            }
        }

        if (command.Name is not null)
        {
            Compare(EnterpriseField.Name, state.Name, RequiredText(command.Name, "name", "enterprise.name-required"));
        }
        if (command.CountyCode is not null)
        {
            Compare(EnterpriseField.County, state.CountyCode, DivisionCode.RequireCounty(reference, command.CountyCode, "countyCode").Code);
        }
        if (command.Industry is not null)
        {
            Compare(EnterpriseField.Industry, state.Industry, RequiredText(command.Industry, "industry", "enterprise.industry-required"));
        }
        if (command.BankAccount is not null)
        {
            Compare(EnterpriseField.BankAccount, state.BankAccount?.ToCorrectionValue(), command.BankAccount.Validated().ToCorrectionValue());
        }

        if (corrections.Count == 0)
        {
            throw new DomainException(
                "enterprise.correction-changes-nothing",
                $"Enterprise {state.Id} ({state.Name}): the correction changes nothing; give at least one of name, countyCode, industry, bankAccount with a new value.");
        }
        return [new EnterpriseDetailsCorrected(state.Id, corrections, reason, correctedBy, command.CorrectedAt)];
    }

    /// <summary>
    /// A move recorded from the business registry. <paramref name="recordedFacts"/> are the enterprise's facts the ledger
    /// holds (declarations, recognitions, renewals, payments) with the county each was recorded in. The move must take
    /// effect after the last recorded move and not after today, to another county that had not ended by that day. Facts
    /// dated on or after the move were recorded in the old county before the move was known: nothing recorded moves, so
    /// such a move is refused naming them unless an override says who accepts that they stay where they are; the event
    /// lists them.
    /// </summary>
    public static IReadOnlyList<object> Decide(
        RelocateEnterprise command, Enterprise state, IReadOnlyCollection<RecordedFact> recordedFacts, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(recordedFacts);
        ArgumentNullException.ThrowIfNull(reference);

        if (command.EnterpriseId != state.Id)
        {
            throw new DomainException("enterprise.id-mismatch", $"enterpriseId: the command names {command.EnterpriseId} but the state loaded is {state.Id}.");
        }
        var to = DivisionCode.RequireCountyExistingOn(reference, command.ToCountyCode, "toCountyCode", command.EffectiveOn, "the move's effective date").Code;
        var registryReference = RequiredText(command.RegistryReference, "registryReference", "enterprise.registry-reference-required");
        var actor = RequiredText(command.Actor, "actor", "enterprise.actor-required");
        if (to == state.CountyCode)
        {
            throw new DomainException(
                "enterprise.relocation-same-county",
                $"toCountyCode: enterprise {state.Name} ({state.Uscc}) is already in {Named(reference, to)}; a move goes to another county. If the county on record is wrong, correct the enterprise's details instead.");
        }
        if (state.LastMovedOn is { } lastMove && command.EffectiveOn <= lastMove)
        {
            throw new DomainException(
                "enterprise.relocation-order",
                $"effectiveOn: {Iso(command.EffectiveOn)} is not after {Iso(lastMove)}, when the last recorded move of {state.Name} ({state.Uscc}) took effect; moves are recorded in the order they took effect.");
        }
        var today = ChinaTime.DateOf(command.At);
        if (command.EffectiveOn > today)
        {
            throw new DomainException(
                "enterprise.relocation-in-future",
                $"effectiveOn: {Iso(command.EffectiveOn)} is after today ({Iso(today)}); record a move once the business registry shows it in effect.");
        }

        var kept = recordedFacts
            .Where(f => f.Date >= command.EffectiveOn && f.CountyCode != to)
            .OrderBy(f => f.Date).ThenBy(f => f.Kind, StringComparer.Ordinal)
            .ToList();
        RelocationOverride? accepted = null;
        if (kept.Count > 0)
        {
            if (command.Override is not { } given)
            {
                var listed = string.Join("; ", kept.Take(5).Select(f => $"{f.Kind} of {Iso(f.Date)} in {f.CountyCode} (stream {f.StreamId})"));
                throw new DomainException(
                    "enterprise.relocation-after-recorded-facts",
                    $"effectiveOn: the ledger already holds {kept.Count} fact(s) of {state.Name} ({state.Uscc}) dated on or after {Iso(command.EffectiveOn)} and recorded in the previous county: {listed}{(kept.Count > 5 ? "; …" : "")}. Recorded facts never move to another county, so they would stay where they are; give an override (who accepts that and why) to record the move anyway, and settle their awards with the counties concerned.");
            }
            accepted = new RelocationOverride(
                RequiredText(given.By, "override.by", "enterprise.field-required"),
                RequiredText(given.Reason, "override.reason", "enterprise.field-required"));
        }
        return [new EnterpriseRelocated(state.Id, state.CountyCode, to, command.EffectiveOn, registryReference, kept, accepted, actor, command.At)];
    }

    private static string Named(ReferenceData reference, string code) =>
        reference.FindDivision(code) is { } division ? $"{code} {division.Name}" : code;

    private static string Iso(NodaTime.LocalDate date) => date.ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string RequiredText(string? value, string field, string code)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed)
            ? throw new DomainException(code, $"{field}: a value is required.")
            : trimmed;
    }
}
