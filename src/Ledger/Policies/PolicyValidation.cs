using System.Globalization;
using Ledger.Reference;

namespace Ledger.Policies;

/// <summary>Checks a draft completely, collecting every problem, and turns it into terms when there is none.</summary>
internal static class PolicyValidation
{
    public static PolicyTerms? Validate(PolicyDraft draft, Division? issuer, ReferenceData reference, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(draft.Title))
        {
            problems.Add("title is required: it must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(draft.DocumentNumber))
        {
            problems.Add("documentNumber is required: give the policy's 文号, e.g. 锡政发〔2021〕1号.");
        }
        if (draft.AppliesTo is { } appliesTo && appliesTo < draft.AppliesFrom)
        {
            problems.Add($"appliesTo: {AwardPolicyDecider.Iso(appliesTo)} is before appliesFrom {AwardPolicyDecider.Iso(draft.AppliesFrom)}.");
        }
        if (draft.PublicityWorkingDays < 0)
        {
            problems.Add($"publicityWorkingDays: {draft.PublicityWorkingDays} is negative; give 0 or more working days.");
        }
        if (draft.DualApprovalThreshold is { } threshold)
        {
            CheckAmount(threshold, "dualApprovalThreshold", problems);
        }
        var rules = ValidateRules(draft.Rules, reference, problems);
        ValidateFundingSplit(draft.FundingSplit, issuer, problems);

        if (problems.Count > 0)
        {
            return null;
        }
        return new PolicyTerms(
            draft.Title.Trim(),
            draft.DocumentNumber.Trim(),
            draft.EffectiveFrom,
            draft.AppliesFrom,
            draft.AppliesTo,
            rules,
            draft.Stacking,
            [.. draft.FundingSplit],
            draft.PublicityWorkingDays,
            draft.DualApprovalThreshold is { } t ? Money.Of(t) : null);
    }

    private static List<AwardRule> ValidateRules(IReadOnlyList<RuleDraft> drafts, ReferenceData reference, List<string> problems)
    {
        if (drafts.Count == 0)
        {
            problems.Add("rules: a policy needs at least one rule (tier, trigger, amount, kind).");
        }
        var rules = new List<AwardRule>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var rule = drafts[i];
            var field = $"rules[{i}]";
            if (reference.FindTier(rule.Tier) is null)
            {
                problems.Add($"{field}.tier: '{rule.Tier}' is not a tier of the reference data.");
            }
            var duplicateOf = drafts.Take(i).ToList().FindIndex(r => r.Tier == rule.Tier && r.Trigger == rule.Trigger);
            if (duplicateOf >= 0)
            {
                problems.Add($"{field}: repeats rules[{duplicateOf}] ({rule.Tier}, {Name(rule.Trigger)}); one rule per tier and trigger.");
            }
            if (CheckAmount(rule.Amount, $"{field}.amount", problems))
            {
                rules.Add(new AwardRule(rule.Tier, rule.Trigger, Money.Of(rule.Amount), rule.Kind));
            }
        }
        return rules;
    }

    private static void ValidateFundingSplit(IReadOnlyList<FundingShare> shares, Division? issuer, List<string> problems)
    {
        var sum = shares.Sum(s => s.Percent);
        if (sum != 100m)
        {
            problems.Add($"fundingSplit: the shares sum to {Percent(sum)}%; they must sum to exactly 100% (e.g. city 50, county 50).");
        }
        for (var i = 0; i < shares.Count; i++)
        {
            var share = shares[i];
            var field = $"fundingSplit[{i}]";
            if (share.Percent <= 0m)
            {
                problems.Add($"{field}.percent: {Percent(share.Percent)} must be greater than 0; leave out a level that pays nothing.");
            }
            if (shares.Take(i).Any(s => s.Level == share.Level))
            {
                problems.Add($"{field}.level: {Name(share.Level)} is listed twice; give each level once.");
            }
            if (issuer is not null && Seniority(share.Level) < Seniority(issuer.Level))
            {
                problems.Add($"{field}.level: {Name(share.Level)} is above the issuer's own level ({issuer.Level.ToString().ToLowerInvariant()}, {issuer.Code}); an issuer can charge its own level and the levels below it, never a higher one.");
            }
        }
    }

    /// <summary>True when <paramref name="amount"/> can become <see cref="Money"/> and is positive.</summary>
    private static bool CheckAmount(decimal amount, string field, List<string> problems)
    {
        var ok = true;
        if (amount <= 0m)
        {
            problems.Add($"{field}: {amount.ToString(CultureInfo.InvariantCulture)} must be greater than 0.");
            ok = false;
        }
        if (decimal.Round(amount, 2) != amount)
        {
            problems.Add($"{field}: {amount.ToString(CultureInfo.InvariantCulture)} has more than 2 decimal places (分).");
            ok = false;
        }
        return ok;
    }

    /// <summary>Lower is more senior.</summary>
    private static int Seniority(FundingLevel level) => level switch
    {
        FundingLevel.Province => 1,
        FundingLevel.City => 2,
        _ => 3,
    };

    private static int Seniority(DivisionLevel level) => level switch
    {
        DivisionLevel.Country => 0,
        DivisionLevel.Province => 1,
        DivisionLevel.City => 2,
        _ => 3,
    };

    internal static string Name(FundingLevel level) => level.ToString().ToLowerInvariant();

    private static string Name(AwardTrigger trigger) => trigger.ToString().ToLowerInvariant();

    private static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
