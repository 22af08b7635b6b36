using System.Globalization;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Disbursements;

/// <summary>
/// Decides the life of a disbursement, two-phase like a pending transfer: requested → approved by distinct approvers
/// (the final approval reserves on the budget line) → paid, or returned by the bank after payment, or rejected /
/// cancelled before it. Pure: the caller passes every state it loaded. Every function returns a <see cref="Decision"/>:
/// events for the award's stream and, where money moves on a budget line, events for that line's stream.
/// </summary>
/// <remarks>
/// "Revoked" is read from the designation's own state (<see cref="DesignationState.Status"/>), which the caller loads by
/// <c>account.Award.DesignationId</c>: the revocation is a fact of the designation stream, so no award event has to be
/// written before its awards stop being payable. A designation that merely expired or failed renewal does not block
/// payment: an award determined while it was valid was earned (docs/decisions.md).
/// </remarks>
public static partial class DisbursementDecider
{
    /// <summary>
    /// A new tranche of the award's <c>Level</c> share. Touches the award stream only (<see cref="DisbursementRequested"/>).
    /// <paramref name="payee"/> is the award's enterprise: the request snapshots its registered bank account.
    /// </summary>
    public static Decision Decide(RequestDisbursement command, AwardAccount account, DesignationState designation, Enterprise payee)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(payee);
        var award = Payable(account, designation, "request a disbursement");
        if (account.Find(command.DisbursementId) is { } existing)
        {
            throw new DomainException(
                "disbursement.duplicate-id",
                $"disbursementId: {command.DisbursementId} is already disbursement {existing.Number} of award {award.Id}; give a new id for a new request.");
        }
        var requester = Require.Text(command.Requester, "disbursement.field-required", "requester");
        var amount = Positive(command.Amount, "amount");
        var share = award.Funding.FirstOrDefault(f => f.Level == command.Level) ?? throw new DomainException(
            "disbursement.unknown-source",
            $"level: award {award.Id} is not funded from the {BudgetLineKey.LevelName(command.Level)} level; choose one of its funding sources: {string.Join(", ", award.Funding.Select(f => BudgetLineKey.LevelName(f.Level)))}.");
        var plannedYear = command.PlannedYear ?? ChinaTime.DateOf(command.At).Year;
        if (plannedYear < award.DeterminationDate.Year)
        {
            throw new DomainException(
                "disbursement.planned-year",
                $"plannedYear: {plannedYear} is before {award.DeterminationDate.Year}, the year award {award.Id} was determined ({Iso(award.DeterminationDate)}); plan the payment for {award.DeterminationDate.Year} or later.");
        }
        if (payee.Id != award.EnterpriseId)
        {
            throw new ArgumentException($"The payee loaded is enterprise {payee.Id}, but award {award.Id} was determined for enterprise {award.EnterpriseId}.", nameof(payee));
        }
        var bankAccount = payee.BankAccount?.Validated("payee.bankAccount") ?? throw new DomainException(
            "disbursement.payee-no-bank-account",
            $"payee: enterprise {payee.Name} ({payee.Uscc}) has no bank account registered; record it with a correction of the enterprise's details, then request again.");
        var committed = account.Committed(command.Level);
        if (committed + amount > share.Amount)
        {
            throw new DomainException(
                "disbursement.exceeds-share",
                $"amount: {amount} would bring what is requested, approved or paid from the {BudgetLineKey.LevelName(command.Level)} share of award {award.Id} to {committed + amount}, above the share of {share.Amount} ({committed} already committed); at most {share.Amount - committed} can still be requested from this source.");
        }
        return Decision.Of(new DisbursementRequested(
            award.Id, command.DisbursementId, amount, command.Level, share.DivisionCode, plannedYear, payee.Id, bankAccount, requester, command.At));
    }

    /// <summary>
    /// One approval. The approval that completes the chain also reserves the amount on <paramref name="line"/> (the line of
    /// <see cref="Disbursement.ReservationLine"/>): the award stream gets <see cref="DisbursementApproved"/> and the line
    /// <see cref="BudgetReserved"/>, in one commit. Earlier approvals touch the award stream only. <paramref name="policy"/>
    /// is the award's policy (its threshold and publicity days are read from the version the award was determined under).
    /// </summary>
    public static Decision Decide(
        ApproveDisbursement command,
        AwardAccount account,
        DesignationState designation,
        AwardPolicyState policy,
        BudgetLine line,
        ApprovalSettings settings,
        WorkingDayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(calendar);
        var disbursement = Existing(account, command.DisbursementId);
        if (disbursement.Status != DisbursementStatus.Requested)
        {
            throw IllegalTransition(account, disbursement, "approve it");
        }
        var award = Payable(account, designation, "approve a disbursement");
        var terms = TermsOf(policy, award);
        var approver = Require.Text(command.Approver, "disbursement.field-required", "approver");
        string? importBatch = null;
        var actor = approver;
        List<SkippedRule> skipped = [];
        if (command.Historical is { } historical)
        {
            // The command's approver is whoever imports the paper (the edge stamps it); the paper names who signed.
            importBatch = Require.Text(historical.ImportBatch, "disbursement.field-required", "historical.importBatch");
            approver = Require.Text(historical.SignedBy, "disbursement.field-required", "historical.signedBy");
            skipped.Add(new SkippedRule(ImportRule.PaperApproval, importBatch, actor,
                $"approval of disbursement {disbursement.Number} of award {award.Id} signed on paper by {approver}; the ledger did not see the publicity period of {terms.PublicityWorkingDays} working days after {Iso(award.DeterminationDate)} nor when it was signed"));
            if (Disbursement.ApproverComparer.Equals(approver, disbursement.Requester))
            {
                skipped.Add(new SkippedRule(ImportRule.ApproverIsRequester, importBatch, actor,
                    $"{approver} requested disbursement {disbursement.Number} of award {award.Id} and signed its approval on paper (maker-checker not met)"));
            }
        }
        else if (Disbursement.ApproverComparer.Equals(approver, disbursement.Requester))
        {
            throw new DomainException(
                "disbursement.approver-is-requester",
                $"approver: {approver} requested disbursement {disbursement.Number} of award {award.Id} and cannot also approve it (maker-checker); another approver must approve it.");
        }

        var required = settings.RequiredApprovals(award.Amount, terms);
        var given = disbursement.DistinctApprovers.Count;
        if (disbursement.HasApproved(approver))
        {
            throw new DomainException(
                "disbursement.already-approved",
                $"approver: {approver} has already approved disbursement {disbursement.Number} of award {award.Id}, and one approver counts once; it needs {Count(required - given, "more approval")} from someone else.");
        }
        if (command.Historical is null)
        {
            var approvalDate = ChinaTime.DateOf(command.At);
            var firstDate = calendar.FirstApprovalDate(award.DeterminationDate, terms.PublicityWorkingDays);
            if (approvalDate < firstDate)
            {
                throw new DomainException(
                    "disbursement.in-publicity",
                    $"Award {award.Id} is in its publicity period (公示) of {terms.PublicityWorkingDays} working days after its determination on {Iso(award.DeterminationDate)}: it can be approved from {Iso(firstDate)}, not on {Iso(approvalDate)}.");
            }
        }

        // A paper approval stands for the whole chain that signed it: the import records one for each payment.
        var final = command.Historical is not null || given + 1 >= required;
        var approved = new DisbursementApproved(
            award.Id, disbursement.Id, approver, required, final, command.Historical is not null, importBatch, skipped, actor, command.At);
        if (!final)
        {
            return Decision.Of(approved);
        }
        SameLine(disbursement.ReservationLine, line);
        if (line.Available < disbursement.Amount)
        {
            throw new DomainException(
                "budget.insufficient",
                $"Budget line {line.Key} has {line.Available} available, less than the {disbursement.Amount} that approving disbursement {disbursement.Number} of award {award.Id} would reserve; nothing was approved or reserved. Raise the line with an adjustment, or cancel this request and request less.");
        }
        return Decision.Of(approved).And(
            line.Key, new BudgetReserved(line.StreamId, line.Key, disbursement.Id, award.Id, disbursement.Amount, actor, command.At));
    }

    private static PolicyTerms TermsOf(AwardPolicyState policy, AwardState award)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Id != award.PolicyId || policy.Versions.Count < award.PolicyVersion)
        {
            throw new ArgumentException(
                $"The policy loaded is {policy.Id} with {policy.Versions.Count} version(s), but award {award.Id} was determined under version {award.PolicyVersion} of policy {award.PolicyId}.",
                nameof(policy));
        }
        return policy.Version(award.PolicyVersion).Terms;
    }

    /// <summary>The award can still be paid: determined, not cancelled, its designation not revoked.</summary>
    private static AwardState Payable(AwardAccount account, DesignationState designation, string attempted)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(designation);
        var award = account.Award;
        switch (award.Status)
        {
            case AwardStatus.None:
                throw new DomainException(
                    "disbursement.award-not-determined",
                    $"Award {award.Id} has not been determined: cannot {attempted}. Determine the award first.");
            case AwardStatus.Cancelled:
                throw new DomainException(
                    "disbursement.award-cancelled",
                    $"Award {award.Id} is cancelled: cannot {attempted}. Nothing more is paid on a cancelled award; what was paid is recovered by a clawback.");
        }
        if (designation.Id != award.DesignationId)
        {
            throw new ArgumentException($"The designation loaded is {designation.Id}, but award {award.Id} belongs to designation {award.DesignationId}.", nameof(designation));
        }
        if (designation.Status == DesignationStatus.Revoked)
        {
            throw new DomainException(
                "disbursement.designation-revoked",
                $"Designation {designation.Id} ({designation.Tier}) of award {award.Id} was revoked on {Iso(designation.EndedOn!.Value)}: cannot {attempted}. Its open requests are cancelled; what was paid is recovered by a clawback.");
        }
        return award;
    }

    private static Disbursement Existing(AwardAccount account, Guid disbursementId)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Find(disbursementId) ?? throw new DomainException(
            "disbursement.not-found",
            $"disbursementId: award {account.Award.Id} has no disbursement {disbursementId}; check the id, or request the disbursement first.");
    }

    private static Money Positive(decimal value, string field)
    {
        var amount = Money.Of(value, field);
        if (!amount.IsPositive)
        {
            throw new DomainException("disbursement.amount-not-positive", $"{field}: {amount} must be greater than 0.");
        }
        return amount;
    }

    private static void SameLine(BudgetLineKey expected, BudgetLine line)
    {
        if (line.Key != expected)
        {
            throw new ArgumentException($"The disbursement draws on budget line {expected} but line {line.Key} was loaded.", nameof(line));
        }
    }

    private static DomainException IllegalTransition(AwardAccount account, Disbursement disbursement, string attempted) =>
        new("disbursement.illegal-transition",
            $"Disbursement {disbursement.Number} ({disbursement.Id}) of award {account.Award.Id} is {Name(disbursement.Status)}: cannot {attempted}. Allowed next: {AllowedNext(disbursement.Status)}.");

    private static string AllowedNext(DisbursementStatus status) => status switch
    {
        DisbursementStatus.Requested => "approve it (until every required approver has signed), reject it or cancel it",
        DisbursementStatus.Approved => "record the treasury payment, or reject or cancel it",
        DisbursementStatus.Paid => "record a bank return, or demand a clawback on the award",
        DisbursementStatus.Returned => "nothing for this disbursement; request a new one to pay the returned amount again",
        _ => "nothing for this disbursement; request a new one",
    };

    private static string Name(DisbursementStatus status) => status.ToString().ToLowerInvariant();

    private static string Count(int n, string what) => string.Create(CultureInfo.InvariantCulture, $"{n} {what}{(n == 1 ? "" : "s")}");

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
