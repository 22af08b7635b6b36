using NpgsqlTypes;

namespace Ledger.ReadModels;

/// <summary>
/// Every read table the projections keep (migrations/0004_read_models.sql, 0006_reports.sql, 0007_imports.sql), in the order a rebuild
/// fills them: a table comes after every table its rows look values up in.
/// </summary>
public static class ReadTables
{
    private static ReadColumn Id(string name) => new(name, NpgsqlDbType.Uuid);

    private static ReadColumn Text(string name) => new(name, NpgsqlDbType.Text);

    private static ReadColumn Int(string name, int? @default = null) => new(name, NpgsqlDbType.Integer, @default);

    private static ReadColumn Date(string name) => new(name, NpgsqlDbType.Date);

    private static ReadColumn Yuan(string name, bool zero = false) => new(name, NpgsqlDbType.Numeric, zero ? 0m : null);

    private static ReadColumn Flag(string name) => new(name, NpgsqlDbType.Boolean);

    public static ReadTable Enterprises { get; } = new("enterprises", 1,
        Id("enterprise_id"), Text("uscc"), Text("name"), Text("county_code"));

    public static ReadTable Policies { get; } = new("policies", 1,
        Id("policy_id"), Text("issuer_code"), Text("title"), Text("document_number"), Int("version"), Date("retired_on"));

    public static ReadTable Designations { get; } = new("designations", 1,
        Id("designation_id"), Id("enterprise_id"), Text("tier"), Int("round"), Text("county_code"), Text("status"),
        Date("recognized_on"), Date("valid_to"));

    public static ReadTable AwardTriggers { get; } = new("award_triggers", 3,
        Id("designation_id"), Text("trigger"), Date("trigger_date"), Id("enterprise_id"), Text("county_code"), Text("tier"));

    public static ReadTable Awards { get; } = new("awards", 1,
        Id("award_id"), Id("enterprise_id"), Id("designation_id"), Id("policy_id"), Int("policy_version"), Text("county_code"),
        Text("tier"), Text("trigger"), Date("trigger_date"), Date("determination_date"), Yuan("amount"), Text("status"),
        Text("issuer_code"));

    public static ReadTable Disbursements { get; } = new("disbursements", 1,
        Id("disbursement_id"), Id("award_id"), Id("enterprise_id"), Text("county_code"), Text("level"), Text("division_code"),
        Int("planned_year"), Yuan("amount"), Text("status"), Int("approvals", 0), Text("voucher_number"), Date("value_date"),
        Text("paid_county_code"));

    public static ReadTable Vouchers { get; } = new("vouchers", 1,
        Text("voucher_number"), Id("award_id"), Id("disbursement_id"));

    /// <summary>One line per event of an enterprise's history (designation steps, awards, disbursements, clawbacks).</summary>
    public static ReadTable AwardHistory { get; } = new("award_history", 1,
        Id("event_id"), Id("enterprise_id"), Text("county_code"), Text("kind"), Date("business_date"), Yuan("amount"),
        Text("tier"), Id("designation_id"), Id("award_id"), Id("disbursement_id"), Date("valid_to"), Text("detail"));

    /// <summary>Every money movement of an award by measure and funding level: append-only, the source of as-of totals.</summary>
    public static ReadTable AwardMovements { get; } = new("award_movements", 3,
        Id("event_id"), Text("measure"), Text("level"), Id("award_id"), Id("enterprise_id"), Text("county_code"), Text("tier"),
        Text("issuer_code"), Int("fiscal_year"), Date("business_date"), Yuan("amount"));

    /// <summary>The present annual totals, kept by atomic increments.</summary>
    public static ReadTable AnnualTotals { get; } = new("annual_totals", 5,
        Int("fiscal_year"), Text("county_code"), Text("tier"), Text("level"), Text("issuer_code"),
        Yuan("determined", true), Yuan("reserved", true), Yuan("paid", true), Yuan("returned", true), Yuan("clawed_back", true),
        Yuan("repaid", true));

    /// <summary>Budget execution per line, kept by atomic increments.</summary>
    public static ReadTable BudgetExecution { get; } = new("budget_execution", 3,
        Text("division_code"), Int("fiscal_year"), Text("level"),
        Yuan("appropriated", true), Yuan("adjusted", true), Yuan("reserved", true), Yuan("paid", true), Yuan("returned", true),
        Yuan("repaid", true));

    public static ReadTable PublishedFigures { get; } = new("published_figures", 1,
        Id("figure_id"), Text("jurisdiction_code"), Int("fiscal_year"), Text("measure"), Text("basis"), Yuan("value"), Text("unit"),
        Flag("lower_bound"), Text("source"), Text("quote"), Int("revision"));

    /// <summary>Each import (a set of files) and whether its last commit landed.</summary>
    public static ReadTable Imports { get; } = new("imports", 1,
        Id("import_id"), Text("import_batch"), Text("actor"), Int("row_count"), Text("status"));

    /// <summary>Every read table, in the order a rebuild fills and compares them.</summary>
    public static IReadOnlyList<ReadTable> All { get; } =
    [
        Enterprises, Policies, Designations, AwardTriggers, Awards, Disbursements, Vouchers, AwardHistory, AwardMovements,
        AnnualTotals, BudgetExecution, PublishedFigures, Imports,
    ];
}
