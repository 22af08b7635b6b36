using System.Globalization;
using System.Security.Cryptography;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.Reference;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Imports;

/// <summary>Where a row came from: file and line, for every error that names it.</summary>
public sealed record RowSource(string File, int Line)
{
    public InputRowError Error(string? column, string reason) => new(File, Line, column, reason);
}

public sealed record PolicyRow(
    RowSource Source, string Key, string IssuerCode, string Title, string DocumentNumber, LocalDate EffectiveFrom, LocalDate AppliesFrom,
    LocalDate? AppliesTo, Stacking Stacking, RuleDraft Rule, IReadOnlyList<FundingShare> FundingSplit, int PublicityDays, decimal? DualApprovalThreshold);

public sealed record EnterpriseRow(RowSource Source, string Uscc, string Name, string CountyCode, string Industry, BankAccount? BankAccount);

public sealed record BudgetRow(RowSource Source, string DivisionCode, int Year, FundingLevel Level, decimal Amount);

/// <summary>Names one award the way county books do: the recognition that determined it, and the policy's key.</summary>
public sealed record AwardRef(string Uscc, string Tier, AwardTrigger Trigger, LocalDate DecidedOn, string PolicyKey)
{
    public override string ToString() =>
        $"{Uscc} {Tier} {(Trigger == AwardTrigger.Renewal ? "renewal" : "recognition")} of {ImportInput.Iso(DecidedOn)}{(PolicyKey.Length > 0 ? $" under {PolicyKey}" : "")}";
}

public sealed record RecognitionRow(RowSource Source, string Uscc, string Tier, AwardTrigger Trigger, LocalDate DecidedOn, string Authority, string DocumentNumber, LocalDate? ValidTo);

public sealed record LoweringRow(RowSource Source, AwardRef Award, decimal Amount, string Reason);

public sealed record PaymentRow(RowSource Source, AwardRef Award, decimal Amount, FundingLevel Level, LocalDate PaidOn, string VoucherNumber, string ApprovedBy);

public sealed record ReturnRow(RowSource Source, string VoucherNumber, LocalDate ReturnedOn, string Reason);

public sealed record ClawbackRow(
    RowSource Source, AwardRef Award, FundingLevel Level, decimal Amount, LocalDate DemandedOn, string Reason,
    decimal? RepaidAmount, LocalDate? RepaidOn, string? RepaymentVoucher);

public sealed record FigureRow(RowSource Source, FigureInput Figure);

/// <summary>
/// The files of one import (docs/import-format.md), every row parsed and checked on its own: formats, codes, dates,
/// amounts. Every problem of every file is collected in <see cref="Errors"/>; what depends on the ledger's state
/// (does the award exist, is the budget enough) is checked later, by the deciders.
/// </summary>
public sealed class ImportInput
{
    public const string Policies = "policies.csv";
    public const string Enterprises = "enterprises.csv";
    public const string Budgets = "budgets.csv";
    public const string Recognitions = "recognitions.csv";
    public const string Awards = "awards.csv";
    public const string Payments = "payments.csv";
    public const string Returns = "returns.csv";
    public const string Clawbacks = "clawbacks.csv";

    public static readonly IReadOnlyList<string> FileNames =
        [Policies, Enterprises, Budgets, Recognitions, Awards, Payments, Returns, Clawbacks, PublishedFigureFile.Name];

    public const string DefaultSigner = "纸质审批";

    public List<PolicyRow> PolicyRows { get; } = [];
    public List<EnterpriseRow> EnterpriseRows { get; } = [];
    public List<BudgetRow> BudgetRows { get; } = [];
    public List<RecognitionRow> RecognitionRows { get; } = [];
    public List<LoweringRow> LoweringRows { get; } = [];
    public List<PaymentRow> PaymentRows { get; } = [];
    public List<ReturnRow> ReturnRows { get; } = [];
    public List<ClawbackRow> ClawbackRows { get; } = [];
    public List<FigureRow> FigureRows { get; } = [];
    public List<InputRowError> Errors { get; } = [];

    /// <summary>The USCC of every row that did not parse (as typed), with the first such row: later rows of it depend on it.</summary>
    public Dictionary<string, RowSource> FailedEnterprises { get; } = new(StringComparer.Ordinal);

    /// <summary>The files read, by name.</summary>
    public List<string> Files { get; } = [];

    /// <summary>SHA-256 over the names and bytes of the files read: the same files make the same batch.</summary>
    public string Digest { get; private set; } = "";

    public int RowCount =>
        PolicyRows.Count + EnterpriseRows.Count + BudgetRows.Count + RecognitionRows.Count + LoweringRows.Count +
        PaymentRows.Count + ReturnRows.Count + ClawbackRows.Count + FigureRows.Count;

    /// <summary>A folder (its files recognised by name; others are an error) or one file named as one of them.</summary>
    public static ImportInput Read(string path, ReferenceData reference, PublishedMeasures measures)
    {
        var input = new ImportInput();
        List<string> paths;
        if (Directory.Exists(path))
        {
            var csv = Directory.GetFiles(path, "*.csv").OrderBy(p => p, StringComparer.Ordinal).ToList();
            foreach (var unknown in csv.Where(p => !FileNames.Contains(Path.GetFileName(p))))
            {
                input.Errors.Add(new InputRowError(Path.GetFileName(unknown), 0, null, $"not an import file (expected one of {string.Join(", ", FileNames)})"));
            }
            paths = [.. csv.Where(p => FileNames.Contains(Path.GetFileName(p)))];
            if (paths.Count == 0 && input.Errors.Count == 0)
            {
                input.Errors.Add(new InputRowError(path, 0, null, $"the folder holds no import file ({string.Join(", ", FileNames)})"));
            }
        }
        else if (File.Exists(path))
        {
            if (!FileNames.Contains(Path.GetFileName(path)))
            {
                input.Errors.Add(new InputRowError(Path.GetFileName(path), 0, null, $"not an import file: name it one of {string.Join(", ", FileNames)}"));
            }
            paths = [path];
        }
        else
        {
            input.Errors.Add(new InputRowError(path, 0, null, "no such file or folder"));
            return input;
        }
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in paths.Where(p => FileNames.Contains(Path.GetFileName(p))))
        {
            input.Files.Add(Path.GetFileName(file));
            digest.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            digest.AppendData(File.ReadAllBytes(file));
            try
            {
                input.ReadFile(file, reference, measures);
            }
            catch (InputFileException e)
            {
                input.Errors.AddRange(e.Errors);
            }
        }
        input.Digest = Convert.ToHexStringLower(digest.GetHashAndReset());
        return input;
    }

    private void ReadFile(string path, ReferenceData reference, PublishedMeasures measures)
    {
        switch (Path.GetFileName(path))
        {
            case PublishedFigureFile.Name:
                FigureRows.AddRange(PublishedFigureFile.ReadRows(path, reference, measures).Select(r => new FigureRow(new RowSource(PublishedFigureFile.Name, r.Line), r.Figure)));
                return;
            case Policies:
                Rows(path, ["policy_key", "issuer_code", "title", "document_no", "effective_from", "applies_from", "applies_to", "stacking", "tier", "trigger",
                    "amount_yuan", "amount_kind", "funding_split", "publicity_days"], ["dual_approval_threshold_yuan"], r => PolicyRows.Add(new PolicyRow(
                    r.Source, r.Text("policy_key"), r.Division("issuer_code", reference), r.Text("title"), r.Text("document_no"), r.Date("effective_from"),
                    r.Date("applies_from"), r.OptionalDate("applies_to"), r.StackingOf("stacking"),
                    new RuleDraft(r.Tier("tier", reference), r.Trigger("trigger"), r.Amount("amount_yuan"), r.Kind("amount_kind")),
                    r.Split("funding_split"), r.Count("publicity_days"), r.OptionalAmount("dual_approval_threshold_yuan"))));
                return;
            case Enterprises:
                Rows(path, ["uscc", "name", "county_code", "industry"], ["bank_account"], r => EnterpriseRows.Add(new EnterpriseRow(
                    r.Source, r.Uscc("uscc"), r.Text("name"), r.County("county_code", reference), r.Text("industry"), r.Account("bank_account"))));
                return;
            case Budgets:
                Rows(path, ["division_code", "year", "funding_source", "amount_yuan"], [], r => BudgetRows.Add(new BudgetRow(
                    r.Source, r.Division("division_code", reference), r.Year("year"), r.Level("funding_source"), r.Amount("amount_yuan"))));
                return;
            case Recognitions:
                Rows(path, ["uscc", "tier", "trigger", "decided_on", "authority", "document_no", "valid_to"], [], r => RecognitionRows.Add(new RecognitionRow(
                    r.Source, r.Uscc("uscc"), r.Tier("tier", reference), r.Trigger("trigger"), r.Date("decided_on"), r.Text("authority"),
                    r.Text("document_no"), r.OptionalDate("valid_to"))));
                return;
            case Awards:
                Rows(path, ["uscc", "tier", "trigger", "decided_on", "policy_key", "amount_yuan", "reason"], [], r => LoweringRows.Add(new LoweringRow(
                    r.Source, r.Award(reference, policyKeyRequired: true), r.Amount("amount_yuan"), r.Text("reason"))));
                return;
            case Payments:
                Rows(path, ["uscc", "tier", "trigger", "decided_on", "policy_key", "amount_yuan", "funding_source", "paid_on", "voucher_no"], ["approved_by"],
                    r => PaymentRows.Add(new PaymentRow(
                        r.Source, r.Award(reference, policyKeyRequired: false), r.Amount("amount_yuan", positive: true), r.Level("funding_source"), r.Date("paid_on"),
                        r.Text("voucher_no"), r.Optional("approved_by") ?? DefaultSigner)));
                return;
            case Returns:
                Rows(path, ["voucher_no", "returned_on", "reason"], [], r => ReturnRows.Add(new ReturnRow(
                    r.Source, r.Text("voucher_no"), r.Date("returned_on"), r.Text("reason"))));
                return;
            case Clawbacks:
                Rows(path, ["uscc", "tier", "trigger", "decided_on", "policy_key", "funding_source", "amount_yuan", "demanded_on", "reason",
                    "repaid_yuan", "repaid_on", "repayment_voucher"], [], r =>
                {
                    var repaid = r.OptionalAmount("repaid_yuan");
                    var repaidOn = r.OptionalDate("repaid_on");
                    var voucher = r.Optional("repayment_voucher");
                    if ((repaid is null) != (repaidOn is null) || (repaid is null) != (voucher is null))
                    {
                        r.Fail("repaid_yuan", "repaid_yuan, repaid_on and repayment_voucher are given together or all left empty");
                    }
                    ClawbackRows.Add(new ClawbackRow(
                        r.Source, r.Award(reference, policyKeyRequired: false), r.Level("funding_source"), r.Amount("amount_yuan", positive: true),
                        r.Date("demanded_on"), r.Text("reason"), repaid, repaidOn, voucher));
                });
                return;
        }
    }

    private void Rows(string path, string[] required, string[] optional, Action<RowReader> read)
    {
        var file = InputFile.Read(path, required, optional);
        foreach (var (line, fields) in file.Rows)
        {
            var row = new RowReader(file, line, fields);
            read(row);
            if (row.Errors.Count > 0)
            {
                // A row with any bad field is listed, field by field, and never applied.
                Errors.AddRange(row.Errors);
                RemoveLast(file.Name);
                if (file.Has("uscc") && file.Field(fields, "uscc") is { Length: > 0 } uscc)
                {
                    FailedEnterprises.TryAdd(uscc, row.Source);
                }
            }
        }
    }

    private void RemoveLast(string fileName)
    {
        static void Drop<T>(List<T> rows) => rows.RemoveAt(rows.Count - 1);
        switch (fileName)
        {
            case Policies: Drop(PolicyRows); break;
            case Enterprises: Drop(EnterpriseRows); break;
            case Budgets: Drop(BudgetRows); break;
            case Recognitions: Drop(RecognitionRows); break;
            case Awards: Drop(LoweringRows); break;
            case Payments: Drop(PaymentRows); break;
            case Returns: Drop(ReturnRows); break;
            case Clawbacks: Drop(ClawbackRows); break;
        }
    }

    /// <summary>
    /// The rows cut into groups of about <paramref name="enterprisesPerGroup"/> enterprises, every row of one enterprise in
    /// one group (a return goes with the payment of its voucher): policies and budgets come with the first group, published
    /// figures with the last. Enterprises of one unit (<paramref name="unitOf"/>: their city, so that groups share as few
    /// budget lines as they can) stay together unless the unit alone is larger than a group. A large import decides group
    /// by group, so the deciders' state in memory is one group's (what they decided is kept until it is written), and
    /// groups that share no stream commit side by side.
    /// </summary>
    public IReadOnlyList<ImportInput> Partition(int enterprisesPerGroup, Func<string, string?>? unitOf = null)
    {
        var ordered = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var uscc in EnterpriseRows.Select(r => r.Uscc).Concat(RecognitionRows.Select(r => r.Uscc)).Concat(PaymentRows.Select(r => r.Award.Uscc))
            .Concat(LoweringRows.Select(r => r.Award.Uscc)).Concat(ClawbackRows.Select(r => r.Award.Uscc)))
        {
            if (seen.Add(uscc))
            {
                ordered.Add(uscc);
            }
        }
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        var size = 0;
        foreach (var unit in ordered.GroupBy(u => unitOf?.Invoke(u) ?? u, StringComparer.Ordinal))
        {
            var members = unit.ToList();
            if (size > 0 && size + members.Count > enterprisesPerGroup)
            {
                next++;
                size = 0;
            }
            foreach (var uscc in members)
            {
                if (size == enterprisesPerGroup)
                {
                    next++;
                    size = 0;
                }
                groupOf[uscc] = next;
                size++;
            }
        }
        int Group(string uscc) => groupOf[uscc];
        var count = next + 1;
        var groups = Enumerable.Range(0, count).Select(_ => new ImportInput { Digest = Digest }).ToList();
        groups[0].PolicyRows.AddRange(PolicyRows);
        groups[0].BudgetRows.AddRange(BudgetRows);
        groups[^1].FigureRows.AddRange(FigureRows);
        foreach (var row in EnterpriseRows) groups[Group(row.Uscc)].EnterpriseRows.Add(row);
        foreach (var row in RecognitionRows) groups[Group(row.Uscc)].RecognitionRows.Add(row);
        foreach (var row in LoweringRows) groups[Group(row.Award.Uscc)].LoweringRows.Add(row);
        foreach (var row in ClawbackRows) groups[Group(row.Award.Uscc)].ClawbackRows.Add(row);
        var byVoucher = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in PaymentRows)
        {
            groups[Group(row.Award.Uscc)].PaymentRows.Add(row);
            byVoucher.TryAdd(row.VoucherNumber.Trim(), Group(row.Award.Uscc));
        }
        foreach (var row in ReturnRows)
        {
            groups[byVoucher.TryGetValue(row.VoucherNumber.Trim(), out var group) ? group : count - 1].ReturnRows.Add(row);
        }
        return groups;
    }

    public static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>One row's fields by column, each parsed with its error (column and reason) collected rather than thrown.</summary>
    private sealed class RowReader(InputFile file, int line, string[] fields)
    {
        public RowSource Source { get; } = new(file.Name, line);

        public List<InputRowError> Errors { get; } = [];

        public void Fail(string column, string reason) => Errors.Add(Source.Error(column, reason));

        public string? Optional(string column) => file.Field(fields, column) is { Length: > 0 } value ? value : null;

        public string Text(string column)
        {
            var value = file.Field(fields, column);
            if (value.Length == 0)
            {
                Fail(column, "required");
            }
            return value;
        }

        public LocalDate Date(string column) => OptionalDate(column, required: true) ?? default;

        public LocalDate? OptionalDate(string column, bool required = false)
        {
            var value = file.Field(fields, column);
            if (value.Length == 0)
            {
                if (required)
                {
                    Fail(column, "required (a date yyyy-MM-dd)");
                }
                return null;
            }
            var parsed = LocalDatePattern.Iso.Parse(value);
            if (!parsed.Success)
            {
                Fail(column, $"'{value}' is not a date (yyyy-MM-dd)");
                return null;
            }
            return parsed.Value;
        }

        public decimal Amount(string column, bool positive = false) => OptionalAmount(column, required: true, positive) ?? 0m;

        public decimal? OptionalAmount(string column, bool required = false, bool positive = false)
        {
            var value = file.Field(fields, column);
            if (value.Length == 0)
            {
                if (required)
                {
                    Fail(column, "required (an amount in 元)");
                }
                return null;
            }
            if (!decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                Fail(column, $"'{value}' is not an amount in 元 (digits with at most 2 decimals)");
                return null;
            }
            if (decimal.Round(amount, 2) != amount)
            {
                Fail(column, $"'{value}' has more than 2 decimal places (分)");
                return null;
            }
            if (amount < 0 || (positive && amount == 0))
            {
                Fail(column, $"'{value}' must be {(positive ? "greater than 0" : "0 or more")}");
                return null;
            }
            return amount;
        }

        public int Count(string column)
        {
            var value = Text(column);
            if (value.Length > 0 && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                Fail(column, $"'{value}' is not a whole number of days");
                return 0;
            }
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) ? count : 0;
        }

        public int Year(string column)
        {
            var value = Text(column);
            if (value.Length > 0 && !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1990 and <= 2100))
            {
                Fail(column, $"'{value}' is not a year (1990–2100)");
                return 0;
            }
            return value.Length > 0 ? int.Parse(value, CultureInfo.InvariantCulture) : 0;
        }

        public string Uscc(string column)
        {
            var value = Text(column);
            if (value.Length > 0 && !Ledger.Enterprises.Uscc.TryParse(value, out var uscc, out var error))
            {
                Fail(column, error);
                return value;
            }
            return value.Length > 0 ? Ledger.Enterprises.Uscc.Parse(value).Value : value;
        }

        public string Division(string column, ReferenceData reference)
        {
            var value = Text(column);
            if (value.Length > 0 && reference.FindDivision(value) is null)
            {
                Fail(column, $"'{value}' is not a division code of the reference data (GB/T 2260, 6 digits)");
            }
            return value;
        }

        public string County(string column, ReferenceData reference)
        {
            var value = Division(column, reference);
            if (reference.FindDivision(value) is { Level: not DivisionLevel.County } division)
            {
                Fail(column, $"{value} {division.Name} is not a county-level division");
            }
            return value;
        }

        public string Tier(string column, ReferenceData reference)
        {
            var value = Text(column);
            if (value.Length > 0 && reference.FindTier(value) is null)
            {
                Fail(column, $"'{value}' is not a tier ({string.Join(", ", reference.Tiers.Keys)})");
            }
            return value;
        }

        public AwardTrigger Trigger(string column) => Choice(column, new Dictionary<string, AwardTrigger>
        {
            ["recognition"] = AwardTrigger.Recognition,
            ["renewal"] = AwardTrigger.Renewal,
        });

        public Stacking StackingOf(string column) => Choice(column, new Dictionary<string, Stacking>
        {
            ["highest-only"] = Ledger.Policies.Stacking.HighestOnly,
            ["cumulative"] = Ledger.Policies.Stacking.Cumulative,
        });

        public AmountKind Kind(string column) => Choice(column, new Dictionary<string, AmountKind>
        {
            ["fixed"] = AmountKind.Fixed,
            ["up-to"] = AmountKind.UpTo,
        });

        public FundingLevel Level(string column) => Choice(column, Levels);

        public IReadOnlyList<FundingShare> Split(string column)
        {
            var value = Text(column);
            var shares = new List<FundingShare>();
            foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var pieces = part.Split(':', StringSplitOptions.TrimEntries);
                if (pieces.Length != 2 || !Levels.TryGetValue(pieces[0], out var level)
                    || !decimal.TryParse(pieces[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent))
                {
                    Fail(column, $"'{part}' is not a share like county:100 or city:50 (levels province, city, county)");
                    return shares;
                }
                shares.Add(new FundingShare(level, percent));
            }
            return shares;
        }

        public BankAccount? Account(string column)
        {
            if (Optional(column) is not { } value)
            {
                return null;
            }
            var parts = value.Split('|', StringSplitOptions.TrimEntries);
            if (parts.Length != 3)
            {
                Fail(column, $"'{value}' is not bank|holder|number (开户行|户名|账号)");
                return null;
            }
            try
            {
                return new BankAccount(parts[0], parts[1], parts[2]).Validated();
            }
            catch (DomainException e)
            {
                Fail(column, e.Message);
                return null;
            }
        }

        public AwardRef Award(ReferenceData reference, bool policyKeyRequired) => new(
            Uscc("uscc"), Tier("tier", reference), Trigger("trigger"), Date("decided_on"),
            policyKeyRequired ? Text("policy_key") : Optional("policy_key") ?? "");

        private T Choice<T>(string column, IReadOnlyDictionary<string, T> values) where T : struct
        {
            var value = Text(column);
            if (values.TryGetValue(value, out var choice))
            {
                return choice;
            }
            if (value.Length > 0)
            {
                Fail(column, $"'{value}' is not one of {string.Join(", ", values.Keys)}");
            }
            return default;
        }

        private static readonly Dictionary<string, FundingLevel> Levels = new()
        {
            ["province"] = FundingLevel.Province,
            ["city"] = FundingLevel.City,
            ["county"] = FundingLevel.County,
        };
    }
}
