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
            DivisionCode.RequireCounty(reference, command.CountyCode, "countyCode").Code,
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

    private static string RequiredText(string? value, string field, string code)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed)
            ? throw new DomainException(code, $"{field}: a value is required.")
            : trimmed;
    }
}
