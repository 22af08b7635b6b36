namespace Ledger.Imports;

/// <summary>
/// A rule of the domain that a historical import did not apply to the fact it recorded — a check it skipped, or a
/// breach it accepted as a warning — recorded on the event it concerns, so an auditor can list every one by batch
/// (<see cref="ImportAudit"/>). Live commands never skip a rule: they are refused instead.
/// </summary>
/// <param name="Rule">Which rule, one of <see cref="ImportRule"/>.</param>
/// <param name="ImportBatch">The batch the fact came in.</param>
/// <param name="AcceptedBy">The user who ran the import (the command's actor, stamped at the edge).</param>
/// <param name="Detail">What exactly was not checked or not met, in words a clerk can verify.</param>
public sealed record SkippedRule(string Rule, string ImportBatch, string AcceptedBy, string Detail);

/// <summary>The rules an import may skip, under the names events store (never renamed).</summary>
public static class ImportRule
{
    /// <summary>A recognition recorded without the declaration and the reviews that precede it in the ledger.</summary>
    public const string DeclarationAndReviews = "declaration-and-reviews";

    /// <summary>A recognition whose prerequisite designation the ledger does not hold on the recognition date.</summary>
    public const string Prerequisite = "prerequisite";

    /// <summary>An approval signed on paper: the ledger saw neither the publicity period (公示) nor who signed when.</summary>
    public const string PaperApproval = "paper-approval";

    /// <summary>A paper approval signed by the same person who made the request (maker-checker not met).</summary>
    public const string ApproverIsRequester = "approver-is-requester";

    /// <summary>A renewal imported without the base designation it renews: the ledger holds no earlier round of the tier.</summary>
    public const string RenewalWithoutBase = "renewal-without-base";

    /// <summary>A payment whose value date is not a working day, or could not be checked against the holiday table.</summary>
    public const string ValueDateWorkingDay = "value-date-working-day";
}
