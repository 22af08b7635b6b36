namespace Ledger.Imports.Generation;

/// <summary>
/// The files of docs/import-format.md as the generators write them: each file's name and its columns in the order the
/// format lists them, the optional ones included (left empty where a row has nothing to say).
/// </summary>
public static class ImportFileFormat
{
    // The names are the importer's (ImportInput): one list of what the format's files are called.
    public const string Policies = ImportInput.Policies;
    public const string Enterprises = ImportInput.Enterprises;
    public const string Budgets = ImportInput.Budgets;
    public const string Recognitions = ImportInput.Recognitions;
    public const string Awards = ImportInput.Awards;
    public const string Payments = ImportInput.Payments;
    public const string Returns = ImportInput.Returns;
    public const string Clawbacks = ImportInput.Clawbacks;
    public const string PublishedFigures = Ledger.PublishedFigures.PublishedFigureFile.Name;

    /// <summary>Every file the format knows, in the order the import applies them.</summary>
    public static IReadOnlyList<string> AllFiles { get; } =
        [Policies, Enterprises, Budgets, Recognitions, Awards, Payments, Returns, Clawbacks, PublishedFigures];

    /// <summary>The files the generator writes: all but the published figures, which come from sources, not from a seed.</summary>
    public static IReadOnlyList<string> GeneratedFiles { get; } =
        [Policies, Enterprises, Budgets, Recognitions, Awards, Payments, Returns, Clawbacks];

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Columns { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Policies] = ["policy_key", "issuer_code", "title", "document_no", "effective_from", "applies_from", "applies_to", "stacking", "tier", "trigger", "amount_yuan", "amount_kind", "funding_split", "publicity_days", "dual_approval_threshold_yuan"],
        [Enterprises] = ["uscc", "name", "county_code", "industry", "bank_account"],
        [Budgets] = ["division_code", "year", "funding_source", "amount_yuan"],
        [Recognitions] = ["uscc", "tier", "trigger", "decided_on", "authority", "document_no", "valid_to"],
        [Awards] = ["uscc", "tier", "trigger", "decided_on", "policy_key", "amount_yuan", "reason"],
        [Payments] = ["uscc", "tier", "trigger", "decided_on", "policy_key", "amount_yuan", "funding_source", "paid_on", "voucher_no", "approved_by"],
        [Returns] = ["voucher_no", "returned_on", "reason"],
        [Clawbacks] = ["uscc", "tier", "trigger", "decided_on", "policy_key", "funding_source", "amount_yuan", "demanded_on", "reason", "repaid_yuan", "repaid_on", "repayment_voucher"],
        [PublishedFigures] = ["jurisdiction_code", "jurisdiction_name", "year", "measure", "value", "unit", "basis", "source", "quote", "bound"],
    };
}
