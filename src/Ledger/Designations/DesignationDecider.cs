using System.Globalization;
using Ledger.Enterprises;
using Ledger.Imports;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Designations;

/// <summary>
/// Decides designation commands (申报 → 推荐 → 认定 → 复审 / 撤销 / 到期) and folds their events.
/// Pure: callers pass in the state they loaded and the reference data.
/// </summary>
public static partial class DesignationDecider
{
    /// <summary>Stream id of round <paramref name="round"/> of <paramref name="tier"/> for an enterprise (UUID v5).</summary>
    public static Guid StreamId(Guid enterpriseId, string tier, int round) =>
        DeterministicGuid.Create(string.Create(CultureInfo.InvariantCulture, $"designation:{enterpriseId:D}:{tier}:{round}"));

    /// <summary>
    /// Starts the next round of the tier. <paramref name="enterpriseDesignations"/> are the enterprise's designation
    /// states (at least those of this tier); the event's <c>DesignationId</c> names the new stream.
    /// </summary>
    public static DeclarationSubmitted Decide(
        SubmitDeclaration command, IReadOnlyCollection<DesignationState> enterpriseDesignations, ReferenceData reference)
    {
        Existing(KnownTier(reference, command.Tier), command.DeclaredOn, "declaredOn");
        KnownDivision(reference, command.CountyCode);
        var uscc = Require.Text(command.Uscc, "designation.field-required", "uscc");
        var actor = Require.Text(command.Actor, "designation.field-required", "actor");
        var round = NextRound(command.EnterpriseId, command.Tier, enterpriseDesignations, command.DeclaredOn);
        return new DeclarationSubmitted(
            StreamId(command.EnterpriseId, command.Tier, round),
            command.EnterpriseId,
            uscc,
            command.CountyCode,
            command.Tier,
            round,
            command.DeclaredOn,
            actor,
            command.At);
    }

    public static DeclarationReviewed Decide(ReviewDeclaration command, DesignationState state, ReferenceData reference)
    {
        if (state.Status is not (DesignationStatus.Declared or DesignationStatus.Recommended))
        {
            throw IllegalTransition(state, "record a declaration review");
        }
        var reviewer = Require.Text(command.Reviewer, "designation.field-required", "reviewer");
        var actor = Require.Text(command.Actor, "designation.field-required", "actor");
        // Reviews go up the hierarchy (county → city → province), each level at most once: a review out of
        // order is almost always a keying error, and a rejection ends the round anyway.
        if (state.LastReviewLevel is { } last && command.Level <= last)
        {
            throw new DomainException(
                "designation.review-order",
                $"level: the declaration was already reviewed at {Name(last)} level; the next review must be at a higher level than {Name(last)}.");
        }
        if (reference.FindTier(state.Tier) is { } tier && IsAbove(command.Level, tier.RecognisingLevel))
        {
            throw new DomainException(
                "designation.review-level",
                $"level: {state.Tier} is recognised at {tier.RecognisingLevel.ToString().ToLowerInvariant()} level, so a {Name(command.Level)} review does not apply; record a review at or below that level.");
        }
        if (command.ReviewedOn < state.DeclaredOn)
        {
            throw DateOrder("reviewedOn", command.ReviewedOn, "the declaration date", state.DeclaredOn!.Value);
        }
        return new DeclarationReviewed(
            state.Id, command.Level, command.Outcome, reviewer, command.Note, command.ReviewedOn, actor, command.At);
    }

    /// <summary>
    /// Recognises the enterprise's current round of the tier (which must have been recommended), or with
    /// <c>Historical</c> set imports a recognition as a new round. <paramref name="enterprise"/> is the enterprise's state
    /// (its county on the recognition date is the recognition's county); <paramref name="enterpriseDesignations"/> are all
    /// its designation states: the current round is found among them and prerequisites are checked against them.
    /// Both paths refuse a tier that did not exist on the recognition date and an authority other than the one that
    /// recognises the tier where the enterprise was; an import records the rules it skips on the event.
    /// </summary>
    public static DesignationRecognized Decide(
        RecognizeDesignation command, Enterprise enterprise, IReadOnlyCollection<DesignationState> enterpriseDesignations, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(enterprise);
        if (enterprise.Id != command.EnterpriseId)
        {
            throw new ArgumentException($"The enterprise loaded is {enterprise.Id}, but the recognition names {command.EnterpriseId}.", nameof(enterprise));
        }
        var tier = Existing(KnownTier(reference, command.Tier), command.RecognizedOn, "recognizedOn");
        var county = enterprise.CountyOn(command.RecognizedOn);
        KnownDivision(reference, county);
        var authority = RecognisingAuthorityOf(command, tier, county, reference);
        var documentNumber = Require.Text(command.DocumentNumber, "designation.field-required", "documentNumber");
        var actor = Require.Text(command.Actor, "designation.field-required", "actor");
        var (validFrom, validTo) = Validity(command, tier);

        if (command.Historical is { } historical)
        {
            var batch = Require.Text(historical.ImportBatch, "designation.field-required", "historical.importBatch");
            if (command.PrerequisiteOverride is not null)
            {
                throw new DomainException(
                    "designation.override-in-import",
                    "prerequisiteOverride: an import records a missing prerequisite as a skipped rule of its batch, accepted by whoever runs the import; leave the override empty.");
            }
            var round = NextRound(command.EnterpriseId, command.Tier, enterpriseDesignations, command.RecognizedOn);
            // An import records a recognition the authority already made: the ledger cannot refuse the fact, and the
            // prerequisite may only be missing because it was not imported (yet). What it did not check is written down.
            List<SkippedRule> skipped =
            [
                new(ImportRule.DeclarationAndReviews, batch, actor,
                    $"{tier.Code} recognised by {authority.Name} ({documentNumber}) on {Iso(command.RecognizedOn)}; the ledger holds no declaration or review of it"),
            ];
            var missing = MissingPrerequisites(command.EnterpriseId, tier, command.RecognizedOn, enterpriseDesignations, reference);
            if (missing.Count > 0)
            {
                skipped.Add(new(ImportRule.Prerequisite, batch, actor,
                    $"{tier.Code} requires a designation valid on {Iso(command.RecognizedOn)} of {string.Join(", ", missing)}; the ledger holds none"));
            }
            return new DesignationRecognized(
                StreamId(command.EnterpriseId, command.Tier, round), command.EnterpriseId, enterprise.Uscc, county,
                command.Tier, round, authority.Name, authority.DivisionCode, documentNumber, command.RecognizedOn, validFrom, validTo,
                Historical: true, batch, PrerequisiteOverride: null, skipped, actor, command.At);
        }

        var current = Latest(command.EnterpriseId, command.Tier, enterpriseDesignations);
        if (current is null)
        {
            throw new DomainException(
                "designation.illegal-transition",
                $"Enterprise {command.EnterpriseId} has no declaration for {command.Tier}, so there is nothing to recognise. Allowed next: {AllowedNext(DesignationStatus.None)}.");
        }
        if (current.Status != DesignationStatus.Recommended)
        {
            throw IllegalTransition(current, "record the recognition");
        }
        if (command.RecognizedOn < current.DeclaredOn)
        {
            throw DateOrder("recognizedOn", command.RecognizedOn, "the declaration date", current.DeclaredOn!.Value);
        }
        var prerequisiteOverride = CheckPrerequisites(command, tier, enterpriseDesignations, reference);
        return new DesignationRecognized(
            current.Id, current.EnterpriseId, current.Uscc, county, current.Tier, current.Round,
            authority.Name, authority.DivisionCode, documentNumber, command.RecognizedOn, validFrom, validTo,
            Historical: false, ImportBatch: null, prerequisiteOverride, SkippedRules: [], actor, command.At);
    }

    /// <summary>
    /// A renewal review (复审). Accepted while recognized or expired, until a later round of the same tier has
    /// started (<paramref name="laterRoundStarted"/>: the stream of round + 1 exists). A pass after a gap reinstates
    /// the designation from the decision date. The review carries the county <paramref name="enterprise"/> was in on the
    /// decision date: a renewal award goes by it, not by the county of the original recognition.
    /// </summary>
    public static RenewalReviewed Decide(
        ReviewRenewal command, DesignationState state, bool laterRoundStarted, Enterprise enterprise, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(enterprise);
        if (state.Status is not (DesignationStatus.Recognized or DesignationStatus.Expired))
        {
            throw IllegalTransition(state, "record a renewal review");
        }
        if (laterRoundStarted)
        {
            throw new DomainException(
                "designation.later-round-started",
                $"Designation {state.Id} ({state.Tier}, round {state.Round}) is {Name(state.Status)} and round {state.Round + 1} has already started: renewal reviews are accepted only until a new round starts. Record the outcome on round {state.Round + 1}.");
        }
        var reviewer = Require.Text(command.Reviewer, "designation.field-required", "reviewer");
        var actor = Require.Text(command.Actor, "designation.field-required", "actor");
        if (command.DecidedOn < state.RecognizedOn)
        {
            throw DateOrder("decidedOn", command.DecidedOn, "the recognition date", state.RecognizedOn!.Value);
        }

        LocalDate? newValidTo = null;
        if (command.Outcome == RenewalOutcome.Passed)
        {
            var validTo = state.ValidTo!.Value;
            var years = reference.FindTier(state.Tier)?.ValidityYears ?? 0;
            if (command.NewValidTo is null && years <= 0)
            {
                throw new DomainException(
                    "designation.valid-to-required",
                    $"newValidTo: tier {state.Tier} has no standard validity period; state the new valid-to date.");
            }
            newValidTo = command.NewValidTo ?? validTo.PlusYears(years);
            if (newValidTo <= validTo || newValidTo <= command.DecidedOn)
            {
                throw new DomainException(
                    "designation.validity",
                    $"newValidTo: {Iso(newValidTo.Value)} must be after the current valid-to {Iso(validTo)} and after the decision date {Iso(command.DecidedOn)}.");
            }
        }
        else if (command.NewValidTo is not null)
        {
            throw new DomainException(
                "designation.validity",
                "newValidTo: a failed renewal ends the designation and has no new valid-to; leave it empty.");
        }
        if (enterprise.Id != state.EnterpriseId)
        {
            throw new ArgumentException($"The enterprise loaded is {enterprise.Id}, but designation {state.Id} belongs to {state.EnterpriseId}.", nameof(enterprise));
        }
        return new RenewalReviewed(
            state.Id, command.Outcome, command.DecidedOn, newValidTo, enterprise.CountyOn(command.DecidedOn), reviewer, command.Note, actor, command.At);
    }

    public static DesignationRevoked Decide(RevokeDesignation command, DesignationState state)
    {
        // An expired designation can still be revoked: falsified data found after expiry still justifies a clawback.
        if (state.Status is not (DesignationStatus.Recognized or DesignationStatus.Expired))
        {
            throw IllegalTransition(state, "revoke the designation");
        }
        var reason = Require.Text(command.Reason, "designation.field-required", "reason");
        var actor = Require.Text(command.Actor, "designation.field-required", "actor");
        if (command.RevokedOn < state.RecognizedOn)
        {
            throw DateOrder("revokedOn", command.RevokedOn, "the recognition date", state.RecognizedOn!.Value);
        }
        return new DesignationRevoked(state.Id, reason, command.RevokedOn, command.DemandClawback, actor, command.At);
    }

    /// <summary>
    /// The expiry run: a recognized designation whose valid-to lies before <paramref name="asOf"/> expired on the day
    /// after its valid-to (not on the day the run happens). Anything else: no event.
    /// </summary>
    public static DesignationExpired? Expire(DesignationState state, LocalDate asOf, string actor, Instant at)
    {
        if (state.Status != DesignationStatus.Recognized || state.ValidTo is not { } validTo || validTo >= asOf)
        {
            return null;
        }
        return new DesignationExpired(state.Id, validTo.PlusDays(1), Require.Text(actor, "designation.field-required", "actor"), at);
    }

    private static (LocalDate From, LocalDate To) Validity(RecognizeDesignation command, Tier tier)
    {
        var from = command.ValidFrom ?? command.RecognizedOn;
        if (command.ValidTo is null && tier.ValidityYears <= 0)
        {
            throw new DomainException(
                "designation.valid-to-required",
                $"validTo: tier {tier.Code} has no standard validity period; state the valid-to date.");
        }
        // Valid-to is the last valid day, so N years from 2022-06-01 end on 2025-05-31 (有效期三年), and expiry
        // happens on the day after valid-to.
        var to = command.ValidTo ?? from.PlusYears(tier.ValidityYears).PlusDays(-1);
        if (to <= from)
        {
            throw new DomainException(
                "designation.validity",
                $"validTo: {Iso(to)} must be after validFrom {Iso(from)}.");
        }
        return (from, to);
    }

    /// <summary>
    /// Each prerequisite tier must be held (valid) on the recognition date, unless the command carries an override.
    /// The override is recorded only when it was needed, so the event never claims an exception that was not made.
    /// </summary>
    private static PrerequisiteOverride? CheckPrerequisites(
        RecognizeDesignation command, Tier tier, IReadOnlyCollection<DesignationState> enterpriseDesignations, ReferenceData reference)
    {
        var missing = MissingPrerequisites(command.EnterpriseId, tier, command.RecognizedOn, enterpriseDesignations, reference);
        if (missing.Count == 0)
        {
            return null;
        }
        if (command.PrerequisiteOverride is not { } given)
        {
            throw new DomainException(
                "designation.prerequisite-missing",
                $"tier: {tier.Code} requires a designation valid on {Iso(command.RecognizedOn)} of {string.Join(", ", missing)}, which enterprise {command.EnterpriseId} does not hold. Record that designation first, or give a prerequisite override (who accepts it and why).");
        }
        return new PrerequisiteOverride(
            Require.Text(given.By, "designation.field-required", "prerequisiteOverride.by"),
            Require.Text(given.Reason, "designation.field-required", "prerequisiteOverride.reason"));
    }

    /// <summary>
    /// The prerequisite tiers not held on <paramref name="on"/>. A prerequisite tier that did not exist yet on that day
    /// is not required: a provincial SRDI recognised in 2021 cannot have needed an innovative SME, a tier created in 2022.
    /// </summary>
    private static List<string> MissingPrerequisites(
        Guid enterpriseId, Tier tier, LocalDate on, IReadOnlyCollection<DesignationState> enterpriseDesignations, ReferenceData reference) =>
        [.. tier.Prerequisites
            .Where(p => reference.FindTier(p) is not { } required || required.ExistsOn(on))
            .Where(p => !enterpriseDesignations.Any(d => d.EnterpriseId == enterpriseId && d.Tier == p && d.IsValidOn(on)))];

    /// <summary>A tier can be declared for or recognised only on a day it exists (tiers.csv's valid_from / valid_to).</summary>
    /// <summary>
    /// A passed renewal imported without its base: refused when the ledger holds a designation of that tier for the
    /// enterprise (then the renewal is recorded on it), when the tier did not exist on the decision date, or when a
    /// field is missing; otherwise it starts round 1 and records the skipped rule.
    /// </summary>
    public static RenewalImportedWithoutBase Decide(
        ImportRenewalWithoutBase command, Enterprise enterprise, IReadOnlyCollection<DesignationState> enterpriseDesignations, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(enterprise);
        var tier = Existing(KnownTier(reference, command.Tier), command.DecidedOn, "decidedOn");
        var batch = Require.Text(command.Historical?.ImportBatch, "designation.field-required", "historical.importBatch");
        var reviewer = Require.Text(command.Reviewer, "designation.field-required", "reviewer");
        var actor = Require.Text(command.Actor, "designation.field-required", "actor");
        if (Latest(command.EnterpriseId, command.Tier, enterpriseDesignations) is { } held)
        {
            throw new DomainException(
                "designation.base-exists",
                $"tier: enterprise {enterprise.Uscc} holds round {held.Round} of {command.Tier} (designation {held.Id}); record the renewal on it.");
        }
        var validTo = command.NewValidTo ?? command.DecidedOn.PlusYears(tier.ValidityYears).PlusDays(-1);
        if (validTo <= command.DecidedOn)
        {
            throw DateOrder("newValidTo", validTo, "the decision date", command.DecidedOn);
        }
        var county = enterprise.CountyOn(command.DecidedOn);
        KnownDivision(reference, county);
        return new RenewalImportedWithoutBase(
            StreamId(command.EnterpriseId, command.Tier, 1), command.EnterpriseId, enterprise.Uscc, county, command.Tier, 1,
            command.DecidedOn, validTo, reviewer, batch,
            [new(ImportRule.RenewalWithoutBase, batch, actor,
                $"{tier.Code} renewal passed on {Iso(command.DecidedOn)} ({reviewer}); the ledger holds no earlier designation of {tier.Code} for {enterprise.Uscc} to renew")],
            actor, command.At);
    }

    private static Tier Existing(Tier tier, LocalDate on, string field) =>
        tier.ExistsOn(on)
            ? tier
            : throw new DomainException(
                "designation.tier-not-in-force",
                $"{field}: {Iso(on)} is outside the life of tier {tier.Code} ({tier.NameZh}), which exists {tier.Life}; check the date, or the tier (a designation of that day was of another tier).");

    /// <summary>
    /// The authority must be the government that recognises the tier where the enterprise was on the recognition date:
    /// MIIT (100000) for a national tier, the enterprise's province for a provincial one, its city for a municipal one.
    /// </summary>
    private static RecognisingAuthority RecognisingAuthorityOf(RecognizeDesignation command, Tier tier, string county, ReferenceData reference)
    {
        var given = command.Authority ?? throw new DomainException("designation.field-required", "authority: a value is required.");
        var name = Require.Text(given.Name, "designation.field-required", "authority.name");
        var code = DivisionCode.Parse(given.DivisionCode, "authority.divisionCode");
        var division = reference.FindDivision(code) ?? throw new DomainException(
            "designation.unknown-authority",
            $"authority.divisionCode: {code} ({name}) is not a division of the reference data; give the code of the government the authority belongs to (100000 for MIIT, the province or the city).");
        var expected = reference.RecognisingDivision(tier, county)
            ?? throw new InvalidOperationException($"county {county} has no division at or above {tier.RecognisingLevel} level in the reference data");
        if (division.Code != expected.Code)
        {
            var countyName = reference.FindDivision(county)?.Name ?? county;
            throw new DomainException(
                "designation.authority-mismatch",
                $"authority: {name} ({division.Code} {division.Name}) cannot recognise {tier.Code} for an enterprise in {county} {countyName} on {Iso(command.RecognizedOn)}: {tier.Code} is recognised at {LevelName(tier.RecognisingLevel)} level, here by {expected.Code} {expected.Name}. Name that authority, or check the tier and the enterprise's county on that date.");
        }
        return new RecognisingAuthority(code, name);
    }

    private static string LevelName(DivisionLevel level) => level switch
    {
        DivisionLevel.Country => "national",
        DivisionLevel.Province => "provincial",
        DivisionLevel.City => "municipal",
        _ => "county",
    };

    private static DesignationState? Latest(Guid enterpriseId, string tier, IEnumerable<DesignationState> designations) =>
        designations
            .Where(d => d.EnterpriseId == enterpriseId && d.Tier == tier && d.Status != DesignationStatus.None)
            .MaxBy(d => d.Round);

    private static int NextRound(Guid enterpriseId, string tier, IEnumerable<DesignationState> designations, LocalDate on)
    {
        var latest = Latest(enterpriseId, tier, designations);
        if (latest is null)
        {
            return 1;
        }
        if (latest.IsOpenOn(on))
        {
            throw new DomainException(
                "designation.round-open",
                $"Enterprise {enterpriseId} already has round {latest.Round} of {tier}, which is {Name(latest.Status)} on {Iso(on)}: a new round starts only after a rejection, a failed renewal, a revocation or the end of validity. Allowed next for round {latest.Round}: {AllowedNext(latest.Status)}.");
        }
        return latest.Round + 1;
    }

    private static Tier KnownTier(ReferenceData reference, string code) =>
        reference.FindTier(code) ?? throw new DomainException(
            "designation.unknown-tier",
            $"tier: '{code}' is not a tier of the reference data; use one of {string.Join(", ", reference.Tiers.Keys.Order(StringComparer.Ordinal))}.");

    private static void KnownDivision(ReferenceData reference, string code)
    {
        if (reference.FindDivision(code) is null)
        {
            throw new DomainException(
                "designation.unknown-division",
                $"countyCode: '{code}' is not a division of the reference data; give the 6-digit GB/T 2260 code of the enterprise's county.");
        }
    }

    private static bool IsAbove(ReviewLevel level, DivisionLevel recognising) => level switch
    {
        ReviewLevel.County => false,
        ReviewLevel.City => recognising is DivisionLevel.County,
        ReviewLevel.Province => recognising is DivisionLevel.County or DivisionLevel.City,
        _ => true,
    };

    private static DomainException IllegalTransition(DesignationState state, string attempted) =>
        new("designation.illegal-transition",
            state.Status == DesignationStatus.None
                ? $"Designation {state.Id} has not been started: cannot {attempted}. Allowed next: {AllowedNext(state.Status)}."
                : $"Designation {state.Id} ({state.Tier}, round {state.Round}) is {Name(state.Status)}: cannot {attempted}. Allowed next: {AllowedNext(state.Status)}.");

    private static string AllowedNext(DesignationStatus status) => status switch
    {
        DesignationStatus.None => "submit a declaration, or import a historical recognition",
        DesignationStatus.Declared => "record a county, city or province review",
        DesignationStatus.Recommended => "record a review at a higher level, or the recognition",
        DesignationStatus.Recognized => "record a renewal review, a revocation, or the expiry once valid-to has passed",
        DesignationStatus.Expired => "record a renewal review (a pass reinstates it) or a revocation, or submit a new declaration for the next round",
        _ => "nothing in this round; a new declaration starts the next round",
    };

    private static DomainException DateOrder(string field, LocalDate value, string what, LocalDate bound) =>
        new("designation.date-order", $"{field}: {Iso(value)} is before {what} {Iso(bound)}; check the date.");

    private static string Name(DesignationStatus status) => status switch
    {
        DesignationStatus.RenewalFailed => "renewal-failed",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Name(ReviewLevel level) => level.ToString().ToLowerInvariant();

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
