using System.Globalization;
using Ledger.Reference;

namespace Ledger.Policies;

/// <summary>Decides award policy commands and folds their events. Pure.</summary>
public static class AwardPolicyDecider
{
    /// <summary>Stream id of a policy: UUID v5 of its natural key, issuer + document number (文号).</summary>
    public static Guid StreamId(string issuerCode, string documentNumber) =>
        DeterministicGuid.Create($"policy:{issuerCode.Trim()}:{documentNumber.Trim()}");

    /// <summary>Issues version 1. Every problem of the command is reported at once in one <c>policy.invalid</c>.</summary>
    public static AwardPolicyIssued Decide(IssueAwardPolicy command, AwardPolicyState state, ReferenceData reference)
    {
        if (state.IsIssued)
        {
            throw new DomainException(
                "policy.already-issued",
                $"Policy {state.Latest.Terms.DocumentNumber} of issuer {state.IssuerCode} is already issued (version {state.Latest.Number}); amend it instead.");
        }
        var problems = new List<string>();
        var issuer = reference.FindDivision(command.IssuerCode);
        if (issuer is null)
        {
            problems.Add($"issuerCode: '{command.IssuerCode}' is not a division of the reference data; give the issuer's 6-digit GB/T 2260 code.");
        }
        Required(command.IssuerName, "issuerName", problems);
        Required(command.Actor, "actor", problems);
        var terms = Valid(
            PolicyValidation.Validate(command.Terms, issuer, reference, problems),
            problems,
            $"Policy '{command.Terms.DocumentNumber}' cannot be issued");
        return new AwardPolicyIssued(
            command.PolicyId, command.IssuerCode.Trim(), command.IssuerName.Trim(), terms, command.Actor.Trim(), command.At,
            string.IsNullOrWhiteSpace(command.Key) ? null : command.Key.Trim());
    }

    /// <summary>
    /// Adds a version with the full new terms. Its effective-from must come after the current version's, so that
    /// every trigger date maps to exactly one version.
    /// </summary>
    public static AwardPolicyAmended Decide(AmendAwardPolicy command, AwardPolicyState state, ReferenceData reference)
    {
        RequireOpen(state, "amend it");
        var problems = new List<string>();
        Required(command.Reason, "reason", problems);
        Required(command.Actor, "actor", problems);
        var latest = state.Latest;
        if (command.Terms.EffectiveFrom <= latest.EffectiveFrom)
        {
            problems.Add($"effectiveFrom: {Iso(command.Terms.EffectiveFrom)} must be after the effective-from of version {latest.Number} ({Iso(latest.EffectiveFrom)}); an amendment applies to recognitions decided from its own effective-from.");
        }
        var terms = Valid(
            PolicyValidation.Validate(command.Terms, reference.FindDivision(state.IssuerCode), reference, problems),
            problems,
            $"Policy {latest.Terms.DocumentNumber} cannot be amended");
        return new AwardPolicyAmended(state.Id, latest.Number + 1, terms, command.Reason.Trim(), command.Actor.Trim(), command.At);
    }

    public static AwardPolicyRetired Decide(RetireAwardPolicy command, AwardPolicyState state)
    {
        RequireOpen(state, "retire it");
        var reason = Require.Text(command.Reason, "policy.field-required", "reason");
        var actor = Require.Text(command.Actor, "policy.field-required", "actor");
        var latest = state.Latest;
        if (command.RetiredOn < latest.EffectiveFrom)
        {
            throw new DomainException(
                "policy.date-order",
                $"retiredOn: {Iso(command.RetiredOn)} is before the effective-from of version {latest.Number} ({Iso(latest.EffectiveFrom)}); a retirement cannot undo a version before it takes effect.");
        }
        return new AwardPolicyRetired(state.Id, command.RetiredOn, reason, actor, command.At);
    }

    public static AwardPolicyState Evolve(AwardPolicyState state, IAwardPolicyEvent @event)
    {
        var next = @event switch
        {
            AwardPolicyIssued e => state with
            {
                Id = e.PolicyId,
                IssuerCode = e.IssuerCode,
                IssuerName = e.IssuerName,
                Versions = [new PolicyVersion(1, e.Terms)],
            },
            AwardPolicyAmended e => state with { Versions = [.. state.Versions, new PolicyVersion(e.Version, e.Terms)] },
            AwardPolicyRetired e => state with { RetiredOn = e.RetiredOn },
            _ => throw new ArgumentException($"Not an award policy event: {@event.GetType().Name}", nameof(@event)),
        };
        return next with { StreamVersion = state.StreamVersion + 1 };
    }

    private static void RequireOpen(AwardPolicyState state, string attempted)
    {
        if (!state.IsIssued)
        {
            throw new DomainException(
                "policy.illegal-transition",
                $"Policy {state.Id} has not been issued: cannot {attempted}. Allowed next: issue the policy.");
        }
        if (state.RetiredOn is { } retiredOn)
        {
            throw new DomainException(
                "policy.illegal-transition",
                $"Policy {state.Latest.Terms.DocumentNumber} was retired on {Iso(retiredOn)}: cannot {attempted}. Allowed next: nothing; issue a new policy instead.");
        }
    }

    private static void Required(string? value, string field, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{field} is required: it must not be empty.");
        }
    }

    private static PolicyTerms Valid(PolicyTerms? terms, List<string> problems, string what)
    {
        if (terms is null || problems.Count > 0)
        {
            throw new DomainException(
                "policy.invalid",
                $"{what}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")} to fix:\n- {string.Join("\n- ", problems)}");
        }
        return terms;
    }

    internal static string Iso(NodaTime.LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
