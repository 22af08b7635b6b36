using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Ledger.Budgets;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Imports.Generation;

/// <summary>
/// Writes the generated import files (<see cref="ImportFileFormat.GeneratedFiles"/>) row by row as they come: RFC 4180,
/// CRLF, UTF-8 with a byte order mark, a header row first. Nothing is held back, so a national run's memory does not
/// grow with its rows. Every value is formatted invariantly, so the same rows give the same bytes everywhere.
/// </summary>
public sealed class ImportFileWriter : IDisposable
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture) { NewLine = "\r\n" };

    private readonly Dictionary<string, (CsvWriter Csv, long Rows)> _files = new(StringComparer.Ordinal);

    public ImportFileWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in ImportFileFormat.GeneratedFiles)
        {
            var stream = new FileStream(Path.Combine(directory, file), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            var csv = new CsvWriter(new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)), Configuration);
            foreach (var column in ImportFileFormat.Columns[file])
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            _files[file] = (csv, 0);
        }
    }

    /// <summary>Rows written so far per file, header not counted.</summary>
    public IReadOnlyDictionary<string, long> Rows => _files.ToDictionary(f => f.Key, f => f.Value.Rows, StringComparer.Ordinal);

    public void Write(PolicyRow policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var terms = policy.Terms;
        foreach (var rule in terms.Rules)
        {
            Row(ImportFileFormat.Policies,
                policy.PolicyKey, policy.IssuerCode, terms.Title, terms.DocumentNumber, Date(terms.EffectiveFrom), Date(terms.AppliesFrom),
                Date(terms.AppliesTo), Name(terms.Stacking), rule.Tier, Name(rule.Trigger), rule.Amount.ToString(), Name(rule.Kind),
                FundingSplitText(terms.FundingSplit), terms.PublicityWorkingDays.ToString(CultureInfo.InvariantCulture),
                terms.DualApprovalThreshold?.ToString() ?? "");
        }
    }

    public void Write(EnterpriseRow enterprise)
    {
        ArgumentNullException.ThrowIfNull(enterprise);
        Row(ImportFileFormat.Enterprises, enterprise.Uscc, enterprise.Name, enterprise.CountyCode, enterprise.Industry,
            enterprise.BankAccount?.ToCorrectionValue() ?? "");
    }

    public void Write(BudgetRow budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        Row(ImportFileFormat.Budgets, budget.Line.DivisionCode, budget.Line.FiscalYear.ToString(CultureInfo.InvariantCulture),
            BudgetLineKey.LevelName(budget.Line.Level), budget.Amount.ToString());
    }

    public void Write(RecognitionRow recognition)
    {
        ArgumentNullException.ThrowIfNull(recognition);
        Row(ImportFileFormat.Recognitions, recognition.Uscc, recognition.Tier, Name(recognition.Trigger), Date(recognition.DecidedOn),
            recognition.Authority, recognition.DocumentNo, Date(recognition.ValidTo));
    }

    public void Write(LoweringRow lowering)
    {
        ArgumentNullException.ThrowIfNull(lowering);
        var a = lowering.Award;
        Row(ImportFileFormat.Awards, a.Uscc, a.Tier, Name(a.Trigger), Date(a.DecidedOn), lowering.PolicyKey, lowering.Amount.ToString(), lowering.Reason);
    }

    public void Write(PaymentRow payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var a = payment.Award;
        Row(ImportFileFormat.Payments, a.Uscc, a.Tier, Name(a.Trigger), Date(a.DecidedOn), payment.PolicyKey, payment.Amount.ToString(),
            BudgetLineKey.LevelName(payment.Level), Date(payment.PaidOn), payment.Voucher, payment.ApprovedBy ?? "");
    }

    public void Write(ReturnRow returned)
    {
        ArgumentNullException.ThrowIfNull(returned);
        Row(ImportFileFormat.Returns, returned.Voucher, Date(returned.ReturnedOn), returned.Reason);
    }

    public void Write(ClawbackRow clawback)
    {
        ArgumentNullException.ThrowIfNull(clawback);
        var a = clawback.Award;
        Row(ImportFileFormat.Clawbacks, a.Uscc, a.Tier, Name(a.Trigger), Date(a.DecidedOn), clawback.PolicyKey, BudgetLineKey.LevelName(clawback.Level),
            clawback.Amount.ToString(), Date(clawback.DemandedOn), clawback.Reason, clawback.Repaid?.ToString() ?? "", Date(clawback.RepaidOn),
            clawback.RepaymentVoucher ?? "");
    }

    public void Dispose()
    {
        foreach (var (csv, _) in _files.Values)
        {
            csv.Dispose();
        }
        _files.Clear();
    }

    /// <summary>"city:50;county:50", the form of the funding_split column.</summary>
    public static string FundingSplitText(IEnumerable<FundingShare> shares) =>
        string.Join(';', shares.Select(s => $"{BudgetLineKey.LevelName(s.Level)}:{s.Percent.ToString("0.##", CultureInfo.InvariantCulture)}"));

    public static string Date(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    private static string Date(LocalDate? date) => date is { } d ? Date(d) : "";

    public static string Name(AwardTrigger trigger) => trigger == AwardTrigger.Renewal ? "renewal" : "recognition";

    private static string Name(Stacking stacking) => stacking == Stacking.Cumulative ? "cumulative" : "highest-only";

    private static string Name(AmountKind kind) => kind == AmountKind.UpTo ? "up-to" : "fixed";

    private void Row(string file, params string[] fields)
    {
        var (csv, rows) = _files[file];
        foreach (var field in fields)
        {
            csv.WriteField(field);
        }
        csv.NextRecord();
        _files[file] = (csv, rows + 1);
    }
}
