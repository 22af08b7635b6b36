using System.Globalization;
using System.Text.Json.Serialization;
using Ledger.Budgets;
using Ledger.Enterprises;
using NodaTime;
using NodaTime.Text;
using Wolverine.Attributes;

namespace Ledger.Treasury;

/// <summary>
/// One line of a treasury payment instruction (国库支付指令): pay <see cref="Amount"/> from budget line <see cref="Line"/>
/// (<see cref="PayerName"/> is its division's name) to the payee's account. The final approval of a disbursement
/// publishes it through Wolverine's durable outbox, so it commits with the approval or not at all. It carries every
/// field of the line as it stood at that commit: writing it reads nothing, and writing it again writes the same line.
/// </summary>
[MessageIdentity(MessageTypeName)]
public sealed record WriteTreasuryInstruction(
    Guid DisbursementId,
    Guid AwardId,
    BudgetLineKey Line,
    string PayerName,
    string PayeeName,
    string PayeeUscc,
    BankAccount PayeeAccount,
    Money Amount,
    string Purpose,
    Instant ApprovedAt)
{
    /// <summary>The stable name Wolverine stores the message under (<c>message_type</c> of its tables), never a CLR name.</summary>
    public const string MessageTypeName = "write-treasury-instruction";

    private static readonly OffsetDateTimePattern InstantInChina = OffsetDateTimePattern.Rfc3339;

    private static readonly string[] ColumnNames =
    [
        "payer_division_code", "payer_division_name", "payer_level",
        "payee_name", "payee_uscc", "payee_bank", "payee_account_name", "payee_account_number",
        "amount_yuan", "purpose", "award_id", "disbursement_id", "approved_at",
    ];

    /// <summary>The approval's date in China: the instructions of one paying line and one day make one file.</summary>
    [JsonIgnore]
    public LocalDate ApprovalDate => ChinaTime.DateOf(ApprovedAt);

    /// <summary>"330424-county-2024-11-04.csv": the paying division, its level and the approval date.</summary>
    [JsonIgnore]
    public string FileName => string.Create(CultureInfo.InvariantCulture,
        $"{Line.DivisionCode}-{BudgetLineKey.LevelName(Line.Level)}-{ApprovalDate:uuuu'-'MM'-'dd}.csv");

    /// <summary>The columns of an instruction file, in order; <see cref="Fields"/> gives a line's values.</summary>
    public static IReadOnlyList<string> Columns => ColumnNames;

    /// <summary>The position of <c>disbursement_id</c>, by which a file holds each disbursement at most once.</summary>
    public static int DisbursementColumn { get; } = Array.IndexOf(ColumnNames, "disbursement_id");

    /// <summary>The line's values in the order of <see cref="Columns"/>; the amount always with two decimals, the instant in China's offset.</summary>
    public IReadOnlyList<string> Fields() =>
    [
        Line.DivisionCode, PayerName, BudgetLineKey.LevelName(Line.Level),
        PayeeName, PayeeUscc, PayeeAccount.BankName, PayeeAccount.AccountName, PayeeAccount.AccountNumber,
        Amount.ToString(), Purpose, AwardId.ToString("D"), DisbursementId.ToString("D"),
        InstantInChina.Format(ApprovedAt.InZone(ChinaTime.Zone).ToOffsetDateTime()),
    ];
}
