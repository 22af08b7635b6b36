using System.Globalization;
using Ledger.Awards;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.ReadModels;
using NodaTime;

namespace Ledger.Reports;

/// <summary>
/// Keeps <c>award_history</c>: one line per event of an enterprise's story — registration and corrections, every
/// designation step, every award, disbursement step and clawback — with its business date, amount and the event that
/// proves it. The line's place in the chain (seq, position) and its actor are joined in from the log when read.
/// </summary>
public sealed class HistoryProjection : IReadProjection
{
    private static readonly ReadTable History = ReadTables.AwardHistory;

    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.AwardHistory];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        var line = Line(@event.Data);
        if (line is null)
        {
            return;
        }
        writer.Insert(History,
            @event.Id, line.Enterprise, line.County, @event.Type, Sql.Date(line.Date), line.Amount?.Yuan, line.Tier,
            line.Designation, line.Award, line.Disbursement, line.ValidTo is { } to ? Sql.Date(to) : null, line.Detail);
    }

    /// <summary>One history line; enterprise, county and tier are looked up from the designation or award when the event does not carry them.</summary>
    private sealed record HistoryLine(
        object Enterprise, object County, LocalDate Date, Money? Amount, object? Tier, object? Designation, object? Award,
        Guid? Disbursement, LocalDate? ValidTo, string Detail);

    private static HistoryLine? Line(object data) => data switch
    {
        EnterpriseRegistered e => new(e.EnterpriseId, e.CountyCode, ChinaTime.DateOf(e.RegisteredAt), null, null, null, null, null, null,
            $"{e.Uscc} {e.Name}"),
        EnterpriseDetailsCorrected e => new(e.EnterpriseId, new Lookup(ReadTables.Enterprises, e.EnterpriseId, "county_code"),
            ChinaTime.DateOf(e.CorrectedAt), null, null, null, null, null, null,
            string.Join("; ", e.Corrections.Select(c => $"{c.Field}: {c.OldValue} → {c.NewValue}")) + $" ({e.Reason})"),
        EnterpriseRelocated e => new(e.EnterpriseId, e.ToCountyCode, e.EffectiveOn, null, null, null, null, null, null,
            $"moved from {e.FromCountyCode} to {e.ToCountyCode} ({e.RegistryReference})" +
            (e.FactsKept.Count > 0 ? Invariant($"; {e.FactsKept.Count} earlier fact(s) stay in {e.FromCountyCode}") : "")),
        DeclarationSubmitted e => new(e.EnterpriseId, e.CountyCode, e.DeclaredOn, null, e.Tier, e.DesignationId, null, null, null,
            Invariant($"round {e.Round}")),
        DeclarationReviewed e => OfDesignation(e.DesignationId, e.ReviewedOn, null,
            $"{StoredName.Of(e.Level)} review: {StoredName.Of(e.Outcome)} by {e.Reviewer}{Note(e.Note)}"),
        DesignationRecognized e => new(e.EnterpriseId, e.CountyCode, e.RecognizedOn, null, e.Tier, e.DesignationId, null, null, e.ValidTo,
            $"{e.Authority} {e.DocumentNumber}, valid {e.ValidFrom:uuuu-MM-dd}–{e.ValidTo:uuuu-MM-dd}" +
            (e.Historical ? "; imported" : "") + (e.PrerequisiteOverride is { } o ? $"; prerequisite overridden by {o.By}: {o.Reason}" : "") + Skipped(e.SkippedRules)),
        RenewalImportedWithoutBase e => new(e.EnterpriseId, e.CountyCode, e.DecidedOn, null, e.Tier, e.DesignationId, null, null, e.ValidTo,
            $"renewal passed ({e.Reviewer}), valid to {e.ValidTo:uuuu-MM-dd}; import {e.ImportBatch}" + Skipped(e.SkippedRules)),
        RenewalReviewed e => OfDesignation(e.DesignationId, e.DecidedOn, e.NewValidTo,
            $"renewal {StoredName.Of(e.Outcome)} by {e.Reviewer}{Note(e.Note)}") with { County = (object?)e.CountyCode ?? new Lookup(ReadTables.Designations, e.DesignationId, "county_code") },
        DesignationRevoked e => OfDesignation(e.DesignationId, e.RevokedOn, null,
            e.Reason + (e.ClawbackDemanded ? "; clawback demanded" : "")),
        DesignationExpired e => OfDesignation(e.DesignationId, e.ExpiredOn, null, "expired"),
        AwardDetermined e => new(e.EnterpriseId, e.CountyCode, e.DeterminationDate, e.Amount, e.Rule.Tier, e.DesignationId, e.AwardId,
            null, null, e.Explanation),
        AwardRedetermined e => OfAward(e.AwardId, e.EffectiveOn, e.NewAmount, null,
            $"{e.PreviousAmount} → {e.NewAmount}: {e.Reason}"),
        AwardCancelled e => OfAward(e.AwardId, ChinaTime.DateOf(e.CancelledAt), e.CancelledAmount, null,
            $"unpaid {e.CancelledAmount} cancelled, {e.PaidAmount} stays paid: {e.Reason}"),
        DisbursementRequested e => OfAward(e.AwardId, ChinaTime.DateOf(e.RequestedAt), e.Amount, e.DisbursementId,
            Invariant($"{StoredName.Of(e.Level)} share, line {e.DivisionCode} {e.PlannedYear}, requested by {e.Requester}")),
        DisbursementApproved e => OfAward(e.AwardId, ChinaTime.DateOf(e.ApprovedAt), null, e.DisbursementId,
            $"approved by {e.Approver}" + (e.Final ? Invariant($" (final, {e.ApprovalsRequired} of {e.ApprovalsRequired})") : "") +
            (e.Historical ? $"; paper approval, import {e.ImportBatch}" : "") + Skipped(e.SkippedRules)),
        DisbursementRejected e => OfAward(e.AwardId, ChinaTime.DateOf(e.RejectedAt), null, e.DisbursementId, $"rejected: {e.Reason}"),
        DisbursementCancelled e => OfAward(e.AwardId, ChinaTime.DateOf(e.CancelledAt), null, e.DisbursementId, $"cancelled: {e.Reason}"),
        DisbursementPaid e => OfAward(e.AwardId, e.ValueDate, e.Amount, e.DisbursementId,
            $"voucher {e.VoucherNumber}" + (e.ImportBatch is { } batch ? $"; import {batch}" : "") + Skipped(e.SkippedRules))
            with { County = (object?)e.CountyCode ?? new Lookup(ReadTables.Awards, e.AwardId, "county_code") },
        DisbursementReturned e => OfAward(e.AwardId, e.ReturnedOn, e.Amount, e.DisbursementId, $"returned by the bank: {e.Reason}"),
        ClawbackDemanded e => OfAward(e.AwardId, e.EffectiveOn, e.Amount, null,
            $"clawback of the {StoredName.Of(e.Level)} share ({e.DivisionCode}): {e.Reason}"),
        ClawbackRepaid e => OfAward(e.AwardId, e.ValueDate, e.Amount, null, $"clawback repaid, voucher {e.VoucherNumber}"),
        _ => null,
    };

    private static HistoryLine OfDesignation(Guid designation, LocalDate date, LocalDate? validTo, string detail) => new(
        new Lookup(ReadTables.Designations, designation, "enterprise_id"), new Lookup(ReadTables.Designations, designation, "county_code"),
        date, null, new Lookup(ReadTables.Designations, designation, "tier"), designation, null, null, validTo, detail);

    private static HistoryLine OfAward(Guid award, LocalDate date, Money? amount, Guid? disbursement, string detail) => new(
        new Lookup(ReadTables.Awards, award, "enterprise_id"), new Lookup(ReadTables.Awards, award, "county_code"),
        date, amount, new Lookup(ReadTables.Awards, award, "tier"), new Lookup(ReadTables.Awards, award, "designation_id"), award,
        disbursement, null, detail);

    private static string Skipped(IReadOnlyList<Imports.SkippedRule>? rules) =>
        rules is { Count: > 0 } ? "; not checked: " + string.Join(", ", rules.Select(r => r.Rule)) : "";

    private static string Note(string? note) => string.IsNullOrWhiteSpace(note) ? "" : $" ({note})";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
