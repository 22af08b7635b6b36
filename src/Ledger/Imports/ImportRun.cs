using System.Text.Json;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore.Serialization;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Imports;

/// <summary>
/// One pass of an import over its rows, in the order docs/import-format.md gives: each row becomes the command a clerk
/// would have sent and goes through the ledger's own decider, on the state <see cref="ImportWorld"/> holds (the ledger's,
/// plus what earlier rows decided). A refusal becomes that row's error; a row the ledger already holds identically is
/// counted as held and decides nothing; one it holds with different content is an error showing both.
/// </summary>
internal sealed class ImportRun(
    ImportWorld world, ImportIndex index, ReferenceData reference, PublishedMeasures measures, ApprovalSettings approvals,
    string actor, Instant at, string batch)
{
    private readonly List<InputRowError> _errors = [];
    private readonly Dictionary<string, RowSource> _failedEnterprises = new(StringComparer.Ordinal);
    private Tally _counts;
    private int _group;

    public IReadOnlyList<InputRowError> Errors => _errors;

    public ImportCounts Counts => _counts.ToRecord();

    public void Run(ImportInput input)
    {
        // A row that did not even parse makes the later rows of its enterprise dependent on it.
        foreach (var (uscc, source) in input.FailedEnterprises)
        {
            _failedEnterprises.TryAdd(uscc, source);
        }
        Policies(input.PolicyRows);
        foreach (var row in input.EnterpriseRows)
        {
            Row(row.Source, row.Uscc, () => Enterprise(row));
        }
        var lines = new Dictionary<BudgetLineKey, RowSource>();
        foreach (var row in input.BudgetRows)
        {
            Row(row.Source, null, () => Budget(row, lines));
        }
        foreach (var step in Timeline(input))
        {
            Row(step.Source, step.Uscc, step.Apply);
        }
        foreach (var row in input.FigureRows)
        {
            Row(row.Source, null, () => Figure(row));
        }
    }

    /// <summary>Recognitions, lowerings, payments, returns, clawbacks and repayments in business-date order; within a day in that order.</summary>
    private IEnumerable<(LocalDate Date, int Kind, RowSource Source, string? Uscc, Action Apply)> Timeline(ImportInput input) =>
        input.RecognitionRows.Select(r => (r.DecidedOn, 0, r.Source, (string?)r.Uscc, (Action)(() => Recognition(r))))
            .Concat(input.LoweringRows.Select(r => (r.Award.DecidedOn, 1, r.Source, (string?)r.Award.Uscc, (Action)(() => Lowering(r)))))
            .Concat(input.PaymentRows.Select(r => (r.PaidOn, 2, r.Source, (string?)r.Award.Uscc, (Action)(() => Payment(r)))))
            .Concat(input.ReturnRows.Select(r => (r.ReturnedOn, 3, r.Source, (string?)null, (Action)(() => Return(r)))))
            .Concat(input.ClawbackRows.Select(r => (r.DemandedOn, 4, r.Source, (string?)r.Award.Uscc, (Action)(() => Clawback(r)))))
            .Concat(input.ClawbackRows.Where(r => r.RepaidOn is not null)
                .Select(r => (r.RepaidOn!.Value, 5, r.Source, (string?)r.Award.Uscc, (Action)(() => Repayment(r)))))
            .OrderBy(s => s.Item1).ThenBy(s => s.Item2).ThenBy(s => s.Source.File, StringComparer.Ordinal).ThenBy(s => s.Source.Line);

    private void Row(RowSource source, string? uscc, Action apply)
    {
        _group++;
        try
        {
            apply();
        }
        catch (RowException e)
        {
            Fail(source, uscc, e.Column, e.Message);
        }
        catch (DomainException e)
        {
            Fail(source, uscc, null, e.Message);
        }
    }

    private void Fail(RowSource source, string? uscc, string? column, string reason)
    {
        if (uscc is not null && _failedEnterprises.TryGetValue(uscc, out var first) && first != source)
        {
            reason = $"{reason} (depends on the bad row {first.File}:{first.Line} of enterprise {uscc})";
        }
        else if (uscc is not null)
        {
            _failedEnterprises[uscc] = source;
        }
        _errors.Add(source.Error(column, reason));
    }

    // ---- policies, enterprises, budgets ----

    private void Policies(IReadOnlyList<PolicyRow> rows)
    {
        foreach (var policy in rows.GroupBy(r => r.Key, StringComparer.Ordinal))
        {
            var first = policy.First();
            Row(first.Source, null, () =>
            {
                foreach (var row in policy.Skip(1))
                {
                    if (Differing(first, row) is { } column)
                    {
                        throw new RowException(column, $"policy {first.Key}: differs from line {first.Source.Line}, which gives the policy's {column} (every row of a policy repeats them)");
                    }
                }
                var issuer = reference.FindDivision(first.IssuerCode)!;
                var command = new IssueAwardPolicy(first.IssuerCode, issuer.Name, new PolicyDraft(
                    first.Title, first.DocumentNumber, first.EffectiveFrom, first.AppliesFrom, first.AppliesTo, [.. policy.Select(r => r.Rule)],
                    first.Stacking, first.FundingSplit, first.PublicityDays, first.DualApprovalThreshold), actor, at, first.Key);
                var id = command.PolicyId;
                if (index.PolicyKeys.TryGetValue(first.Key, out var keyed) && keyed != id)
                {
                    throw new RowException("policy_key", $"'{first.Key}' already names policy {Describe(Policy(keyed))}; give this policy its own key");
                }
                var issued = AwardPolicyDecider.Decide(command, AwardPolicyState.Initial, reference);
                var held = Policy(id);
                if (held.IsIssued)
                {
                    var heldTerms = Json(held.Version(1).Terms);
                    if (heldTerms != Json(issued.Terms) || held.Versions.Count > 1)
                    {
                        throw new RowException("document_no", $"policy {first.IssuerCode} {first.DocumentNumber} is in the ledger with other terms; ledger: {heldTerms}; file: {Json(issued.Terms)}");
                    }
                    index.PolicyKeys[first.Key] = id;
                    _counts.Held++;
                    return;
                }
                world.Append(_group, id, PolicyHandler.StreamType, issued.IssuerCode, [issued]);
                index.AddPolicy(id, issued.IssuerCode, first.Key);
                _counts.Policies++;
            });
        }
    }

    private static string? Differing(PolicyRow a, PolicyRow b) =>
        a.IssuerCode != b.IssuerCode ? "issuer_code"
        : a.Title != b.Title ? "title"
        : a.DocumentNumber != b.DocumentNumber ? "document_no"
        : a.EffectiveFrom != b.EffectiveFrom ? "effective_from"
        : a.AppliesFrom != b.AppliesFrom ? "applies_from"
        : a.AppliesTo != b.AppliesTo ? "applies_to"
        : a.Stacking != b.Stacking ? "stacking"
        : !a.FundingSplit.SequenceEqual(b.FundingSplit) ? "funding_split"
        : a.PublicityDays != b.PublicityDays ? "publicity_days"
        : a.DualApprovalThreshold != b.DualApprovalThreshold ? "dual_approval_threshold_yuan"
        : null;

    private void Enterprise(EnterpriseRow row)
    {
        var id = Ledger.Enterprises.Enterprise.StreamIdFor(Uscc.Parse(row.Uscc));
        if (index.EnterpriseRows.TryGetValue(id, out var earlier) && earlier != row.Source)
        {
            throw new RowException("uscc", $"{row.Uscc} is also on line {earlier.Line}; list each enterprise once");
        }
        index.EnterpriseRows[id] = row.Source;
        var held = Enterprise(id);
        if (held is not null)
        {
            var differences = new List<string>();
            Compare(differences, "name", held.Name, row.Name);
            Compare(differences, "county_code", held.CountyCode, row.CountyCode);
            Compare(differences, "industry", held.Industry, row.Industry);
            if (row.BankAccount is not null)
            {
                Compare(differences, "bank_account", held.BankAccount?.ToCorrectionValue() ?? "", row.BankAccount.ToCorrectionValue());
            }
            if (differences.Count > 0)
            {
                throw new RowException(differences[0].Split(':')[0], $"{row.Uscc} is registered with other details; {string.Join("; ", differences)} (a correction changes a registered enterprise)");
            }
            _counts.Held++;
            return;
        }
        var command = new RegisterEnterprise(row.Uscc, row.Name, row.CountyCode, row.Industry, row.BankAccount, actor, at);
        var events = EnterpriseDecider.Decide(command, null, reference);
        world.Append(_group, id, EnterpriseHandler.StreamType, row.CountyCode, events);
        _counts.Enterprises++;
    }

    private static void Compare(List<string> differences, string column, string ledger, string file)
    {
        if (!string.Equals(ledger.Trim(), file.Trim(), StringComparison.Ordinal))
        {
            differences.Add($"{column}: ledger '{ledger}', file '{file}'");
        }
    }

    private void Budget(BudgetRow row, Dictionary<BudgetLineKey, RowSource> lines)
    {
        var key = new BudgetLineKey(row.DivisionCode, row.Year, row.Level);
        if (lines.TryGetValue(key, out var earlier))
        {
            throw new RowException("division_code", $"budget line {key} is also on line {earlier.Line}; list each line once");
        }
        lines[key] = row.Source;
        var line = Line(key);
        if (line.Appropriated != Money.Zero)
        {
            if (line.Appropriated != Money.Of(row.Amount))
            {
                throw new RowException("amount_yuan", $"budget line {key} is appropriated {line.Appropriated} in the ledger; the file says {Money.Of(row.Amount)} (an adjustment changes a line)");
            }
            _counts.Held++;
            return;
        }
        var appropriated = BudgetDecider.Decide(new AppropriateBudget(key, row.Amount, actor, at), line, reference);
        world.Append(_group, line.StreamId, BudgetHandler.StreamType, key.DivisionCode, [appropriated]);
        _counts.BudgetLines++;
    }

    // ---- recognitions and renewals ----

    private void Recognition(RecognitionRow row)
    {
        var enterprise = RegisteredEnterprise(row.Uscc);
        var authority = Authority(row.Authority);
        var designations = Designations(enterprise.Id);
        if (row.Trigger == AwardTrigger.Recognition)
        {
            if (designations.FirstOrDefault(d => d.Tier == row.Tier && d.RecognizedOn == row.DecidedOn) is { } held)
            {
                var recorded = (DesignationRecognized)world.Events(held.Id).First(e => e is DesignationRecognized);
                var differences = new List<string>();
                Compare(differences, "authority", recorded.Authority, authority.Name);
                Compare(differences, "document_no", recorded.DocumentNumber, row.DocumentNumber);
                if (row.ValidTo is { } validTo)
                {
                    Compare(differences, "valid_to", ImportInput.Iso(recorded.ValidTo), ImportInput.Iso(validTo));
                }
                if (differences.Count > 0)
                {
                    throw new RowException(differences[0].Split(':')[0], $"the ledger holds this recognition with other details; {string.Join("; ", differences)}");
                }
                _counts.Held++;
                return;
            }
            var recognized = DesignationDecider.Decide(
                new RecognizeDesignation(enterprise.Id, row.Tier, authority, row.DocumentNumber, row.DecidedOn, null, row.ValidTo, null, actor, at,
                    new HistoricalImport(batch)),
                enterprise, designations, reference);
            world.Append(_group, recognized.DesignationId, DesignationHandler.StreamType, recognized.CountyCode, [recognized]);
            index.AddDesignation(enterprise.Id, recognized.DesignationId);
            _counts.Recognitions++;
            if (recognized.SkippedRules?.Any(s => s.Rule == ImportRule.Prerequisite) == true)
            {
                _counts.PrerequisiteOverrides++;
            }
            Determine(AwardTriggerFact.Recognition(recognized));
            return;
        }

        var reviewer = authority.Name;
        var latest = designations.Where(d => d.Tier == row.Tier).MaxBy(d => d.Round);
        if (latest is not null && world.Events(latest.Id).Any(e =>
                e is RenewalReviewed { Outcome: RenewalOutcome.Passed } r && r.DecidedOn == row.DecidedOn
                || e is RenewalImportedWithoutBase w && w.DecidedOn == row.DecidedOn))
        {
            _counts.Held++;
            return;
        }
        if (latest is not null)
        {
            var reviewed = DesignationDecider.Decide(
                new ReviewRenewal(latest.Id, RenewalOutcome.Passed, row.DecidedOn, row.ValidTo, reviewer, row.DocumentNumber, actor, at),
                latest, laterRoundStarted: false, enterprise, reference);
            world.Append(_group, latest.Id, DesignationHandler.StreamType, latest.CountyCode, [reviewed]);
            _counts.Renewals++;
            Determine(AwardTriggerFact.Renewal(latest, reviewed));
            return;
        }
        var imported = DesignationDecider.Decide(
            new ImportRenewalWithoutBase(enterprise.Id, row.Tier, row.DecidedOn, row.ValidTo, reviewer, actor, at, new HistoricalImport(batch)),
            enterprise, designations, reference);
        world.Append(_group, imported.DesignationId, DesignationHandler.StreamType, imported.CountyCode, [imported]);
        index.AddDesignation(enterprise.Id, imported.DesignationId);
        _counts.Renewals++;
        _counts.RenewalsWithoutBase++;
        Determine(AwardTriggerFact.Renewal(imported));
    }

    /// <summary>What every covering policy owes for the fact, as <see cref="AwardHandler.DetermineAsync"/> decides it live.</summary>
    private void Determine(AwardTriggerFact fact)
    {
        foreach (var policyId in index.CoveringPolicies(fact.CountyCode, reference))
        {
            var policy = Policy(policyId);
            var existing = index.AwardsOf(fact.EnterpriseId).Select(Account).Select(a => a.Award).Where(a => a.PolicyId == policyId).ToList();
            if (AwardCalculator.Determine(fact, policy, existing, reference, actor, at) is not { } award)
            {
                continue;
            }
            world.Append(_group, award.AwardId, AwardHandler.StreamType, award.CountyCode, [award]);
            index.AddAward(fact.EnterpriseId, award.AwardId);
            _counts.Awards++;
            if (award.Rule.Trigger == AwardTrigger.Recognition && policy.Version(award.PolicyVersion).Terms.Stacking == Stacking.HighestOnly)
            {
                world.Append(_group, AwardStacked.StreamId(policyId, fact.EnterpriseId), AwardHandler.StackStreamType, award.CountyCode,
                    [new AwardStacked(policyId, fact.EnterpriseId, award.AwardId, award.Rule.Tier, award.Amount, at)]);
            }
        }
    }

    // ---- lowerings, payments, returns, clawbacks ----

    private void Lowering(LoweringRow row)
    {
        var account = Account(FindAward(row.Award));
        if (account.Award.Amount == Money.Of(row.Amount))
        {
            _counts.Held++;
            return;
        }
        // Dated as the county decided it: with the determination, so the year's determined total is the lowered amount.
        Apply(account, AwardAccountDecider.Decide(
            new RedetermineAward(account.Award.Id, Money.Of(row.Amount), row.Reason, actor, at, account.Award.DeterminationDate), account));
        _counts.Lowerings++;
    }

    private void Payment(PaymentRow row)
    {
        var awardId = FindAward(row.Award);
        var voucher = row.VoucherNumber.Trim();
        if (index.VouchersInFile.TryGetValue(voucher, out var earlier))
        {
            throw new RowException("voucher_no", $"voucher {voucher} is also on line {earlier.Line}; each treasury voucher records one payment");
        }
        index.VouchersInFile[voucher] = row.Source;
        if (index.Vouchers.TryGetValue(voucher, out var used))
        {
            var paid = Account(used.AwardId).Find(used.DisbursementId)!;
            if (used.AwardId == awardId && paid.Amount == Money.Of(row.Amount) && paid.Level == row.Level && paid.ValueDate == row.PaidOn)
            {
                _counts.Held++;
                return;
            }
            throw new RowException("voucher_no", $"voucher {voucher} already records a payment in the ledger: {paid.Amount} from the {BudgetLineKey.LevelName(paid.Level)} share of award {used.AwardId} on {(paid.ValueDate is { } d ? ImportInput.Iso(d) : "-")}; the file says {Money.Of(row.Amount)} from the {BudgetLineKey.LevelName(row.Level)} share of {row.Award} on {ImportInput.Iso(row.PaidOn)}");
        }
        var disbursementId = DeterministicGuid.Create("import-payment:" + voucher);
        var account = Account(awardId);
        var designation = Designation(account.Award.DesignationId);
        var payee = Enterprise(account.Award.EnterpriseId)!;
        account = Apply(account, DisbursementDecider.Decide(
            new RequestDisbursement(awardId, disbursementId, row.Amount, row.Level, row.PaidOn.Year, actor, at), account, designation, payee));
        var disbursement = account.Find(disbursementId)!;
        var line = Line(disbursement.ReservationLine);
        if (world.Version(line.StreamId) == 0)
        {
            throw new RowException("funding_source", $"budget line {line.Key} does not exist: add it to budgets.csv (division {line.Key.DivisionCode}, year {line.Key.FiscalYear}, {BudgetLineKey.LevelName(line.Key.Level)})");
        }
        account = Apply(account, DisbursementDecider.Decide(
            new ApproveDisbursement(awardId, disbursementId, actor, at, new HistoricalApproval(batch, row.ApprovedBy)),
            account, designation, Policy(account.Award.PolicyId), line, approvals, reference.Calendar));
        Apply(account, DisbursementDecider.Decide(
            new RecordDisbursementPayment(awardId, disbursementId, voucher, row.PaidOn, actor, at, new HistoricalImport(batch)),
            account, designation, payee, reference.Calendar));
        index.Vouchers[voucher] = (awardId, disbursementId);
        _counts.Payments++;
    }

    private void Return(ReturnRow row)
    {
        var voucher = row.VoucherNumber.Trim();
        if (!index.Vouchers.TryGetValue(voucher, out var paid))
        {
            throw new RowException("voucher_no", $"no payment with voucher {voucher} is in the ledger or in payments.csv");
        }
        var account = Account(paid.AwardId);
        var disbursement = account.Find(paid.DisbursementId)!;
        if (disbursement.Status == DisbursementStatus.Returned && disbursement.ReturnedOn == row.ReturnedOn)
        {
            _counts.Held++;
            return;
        }
        Apply(account, DisbursementDecider.Decide(new RecordDisbursementReturn(paid.AwardId, paid.DisbursementId, row.ReturnedOn, row.Reason, actor, at), account));
        _counts.Returns++;
    }

    private void Clawback(ClawbackRow row)
    {
        var account = Account(FindAward(row.Award));
        var id = ClawbackId(account.Award.Id, row);
        if (account.Clawbacks.TryGetValue(id, out var held))
        {
            if (held.Amount != Money.Of(row.Amount))
            {
                throw new RowException("amount_yuan", $"the ledger holds this clawback of {held.Amount}; the file says {Money.Of(row.Amount)}");
            }
            _counts.Held++;
            return;
        }
        Apply(account, ClawbackDecider.Decide(new DemandClawback(account.Award.Id, id, row.Level, row.Amount, row.Reason, actor, at, row.DemandedOn), account));
        _counts.Clawbacks++;
    }

    private void Repayment(ClawbackRow row)
    {
        var account = Account(FindAward(row.Award));
        var id = ClawbackId(account.Award.Id, row);
        if (!account.Clawbacks.TryGetValue(id, out var clawback))
        {
            throw new RowException("repaid_on", $"the clawback this repays was not recorded (it is demanded on {ImportInput.Iso(row.DemandedOn)}, after the repayment?)");
        }
        if (clawback.Repayments.Any(r => r.VoucherNumber == row.RepaymentVoucher!.Trim()))
        {
            _counts.Held++;
            return;
        }
        Apply(account, ClawbackDecider.Decide(new RecordClawbackRepayment(account.Award.Id, id, row.RepaidAmount!.Value, row.RepaidOn!.Value,
            row.RepaymentVoucher!, actor, at), account));
        _counts.Repayments++;
    }

    private static Guid ClawbackId(Guid awardId, ClawbackRow row) =>
        DeterministicGuid.Create($"import-clawback:{awardId:D}:{BudgetLineKey.LevelName(row.Level)}:{ImportInput.Iso(row.DemandedOn)}");

    private void Figure(FigureRow row)
    {
        var figure = row.Figure;
        var id = PublishedFigure.StreamIdFor(figure.JurisdictionCode, figure.Year, figure.Measure, figure.Basis);
        var state = world.State(id, PublishedFigure.Initial, PublishedFigure.Fold);
        if (PublishedFigureDecider.Decide(figure, state, actor, at, reference, measures) is not { } recorded)
        {
            _counts.Held++;
            return;
        }
        world.Append(_group, id, PublishedFigureHandler.StreamType, figure.JurisdictionCode, [recorded]);
        _counts.Figures++;
    }

    // ---- state, through the world ----

    /// <summary>The award an import row names: determined by the recognition (uscc, tier, trigger, decided_on), under the policy of its key.</summary>
    private Guid FindAward(AwardRef award)
    {
        var enterprise = RegisteredEnterprise(award.Uscc);
        Guid? policyId = null;
        if (award.PolicyKey.Length > 0)
        {
            policyId = index.PolicyKeys.TryGetValue(award.PolicyKey, out var keyed)
                ? keyed
                : throw new RowException("policy_key", $"no policy has the key '{award.PolicyKey}' (in policies.csv or the ledger)");
        }
        var matches = index.AwardsOf(enterprise.Id).Select(Account).Select(a => a.Award)
            .Where(a => a.Rule is { } rule && rule.Tier == award.Tier && rule.Trigger == award.Trigger && a.TriggerDate == award.DecidedOn
                && (policyId is null || a.PolicyId == policyId))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new RowException("decided_on", $"no award matches {award}: the ledger holds no such recognition (recognitions.csv?) or it earned no award under {(policyId is null ? "any policy" : "that policy")}"),
            _ => throw new RowException("policy_key", $"{matches.Count} awards match {award}; name the policy: {string.Join(", ", matches.Select(m => index.KeyOf(m.PolicyId) ?? m.PolicyId.ToString()))}"),
        };
    }

    private Enterprise RegisteredEnterprise(string uscc) =>
        Enterprise(Ledger.Enterprises.Enterprise.StreamIdFor(Uscc.Parse(uscc)))
        ?? throw new RowException("uscc", $"{uscc} is not registered: add it to enterprises.csv");

    private RecognisingAuthority Authority(string text)
    {
        if (DivisionCode.IsWellFormed(text))
        {
            return reference.FindDivision(text) is { } division
                ? new RecognisingAuthority(division.Code, division.Name)
                : throw new RowException("authority", $"'{text}' is not a division code of the reference data");
        }
        return reference.Authorities.Find(text) is { } name
            ? new RecognisingAuthority(name.DivisionCode, name.Name)
            : throw new RowException("authority", $"'{text}' is not an authority the ledger knows (name it as printed, e.g. 工业和信息化部, or give its division code)");
    }

    private List<DesignationState> Designations(Guid enterpriseId) => [.. index.DesignationsOf(enterpriseId).Select(Designation)];

    private Enterprise? Enterprise(Guid id) => world.State<Enterprise?>(id, null, Ledger.Enterprises.Enterprise.Fold);

    private DesignationState Designation(Guid id) => world.State(id, DesignationState.Initial, (s, e) => DesignationDecider.Evolve(s, (IDesignationEvent)e));

    private AwardAccount Account(Guid id) => world.State(id, AwardAccount.Initial, AwardAccount.Fold);

    private AwardPolicyState Policy(Guid id) => world.State(id, AwardPolicyState.Initial, (s, e) => AwardPolicyDecider.Evolve(s, (IAwardPolicyEvent)e));

    private BudgetLine Line(BudgetLineKey key)
    {
        var id = BudgetLineKey.StreamId(key);
        index.Lines.Add(id);
        return world.State(id, BudgetLine.Initial(key), (s, e) => BudgetLine.Evolve(s, (IBudgetEvent)e));
    }

    /// <summary>Appends a decision on an award account (its stream and the budget lines it touches); answers the account after it.</summary>
    private AwardAccount Apply(AwardAccount account, Decision decision)
    {
        world.Append(_group, account.Award.Id, AwardHandler.StreamType, account.Award.CountyCode, decision.AwardEvents);
        foreach (var line in decision.BudgetEvents.GroupBy(b => b.Line))
        {
            index.Lines.Add(BudgetLineKey.StreamId(line.Key));
            world.Append(_group, BudgetLineKey.StreamId(line.Key), BudgetHandler.StreamType, line.Key.DivisionCode, [.. line.Select(b => (object)b.Event)]);
        }
        return Account(account.Award.Id);
    }

    private static string Describe(AwardPolicyState policy) => $"{policy.IssuerCode} {policy.Latest.Terms.DocumentNumber}";

    private static string Json(PolicyTerms terms) => JsonSerializer.Serialize(terms, LedgerJson.Options);

    /// <summary>A row refused, naming the column at fault.</summary>
    private sealed class RowException(string column, string message) : Exception(message)
    {
        public string Column { get; } = column;
    }

    private struct Tally
    {
        public int Policies, Enterprises, BudgetLines, Recognitions, Renewals, Awards, Lowerings, Payments, Returns, Clawbacks, Repayments, Figures,
            PrerequisiteOverrides, RenewalsWithoutBase, Held;

        public readonly ImportCounts ToRecord() => new(
            Policies, Enterprises, BudgetLines, Recognitions, Renewals, Awards, Lowerings, Payments, Returns, Clawbacks, Repayments, Figures,
            PrerequisiteOverrides, RenewalsWithoutBase, Held);
    }
}
