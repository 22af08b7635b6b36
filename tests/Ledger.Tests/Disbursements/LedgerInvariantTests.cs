using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Policies;

namespace Ledger.Tests.Disbursements;

/// <summary>
/// Random valid and invalid commands against four awards and nine budget lines, purely in memory; after every step the
/// ledger's invariants are checked against the folded states AND against totals recomputed from the raw events. A
/// failure names the seed and step: rerun that seed to replay exactly the same game.
/// </summary>
public class LedgerInvariantTests
{
    private const int Steps = 2000;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(2024)]
    [InlineData(90210)]
    public void Random_commands_never_break_the_ledger_invariants(int seed)
    {
        var ledger = new RandomLedger(seed, Steps);
        for (var step = 1; step <= Steps; step++)
        {
            var before = Snapshot.Of(ledger);
            var (kind, decision, refusal) = ledger.Next();
            var where = $"seed {seed}, step {step}, {kind}: " + (refusal is null ? EventsOf(decision!) : $"refused {refusal.Code}: {refusal.Message}");
            if (refusal is not null)
            {
                Snapshot.Of(ledger).ShouldBe(before, $"a refused command changed the ledger ({where})");
            }
            // Refolding every stream from scratch is quadratic over a game; every 20th step and the last are enough to
            // catch a state that drifted from its events, the figures below are checked at every step.
            CheckInvariants(ledger, where, refold: step % 20 == 0 || step == Steps);
        }

        // The game must have exercised the rules, not only refused everything.
        foreach (var kind in new[] { "request", "approve", "reject", "cancel", "pay", "return", "appropriate", "adjust", "demand-clawback", "repay-clawback" })
        {
            ledger.Accepted.GetValueOrDefault(kind).ShouldBeGreaterThan(0, $"seed {seed}: no {kind} was ever accepted");
        }
        string[] expectedRefusals =
            [
                "budget.insufficient", "budget.below-committed", "disbursement.exceeds-share", "disbursement.approver-is-requester",
                "disbursement.already-approved", "disbursement.value-date-year", "disbursement.amount-not-positive", "money.precision",
                "disbursement.illegal-transition", "clawback.exceeds-paid", "clawback.over-repayment",
            ];
        expectedRefusals.Except(ledger.RefusalCodes).ShouldBeEmpty(
            $"seed {seed} refused only: {string.Join(", ", ledger.RefusalCodes.Order(StringComparer.Ordinal))}");
    }

    private static void CheckInvariants(RandomLedger ledger, string where, bool refold)
    {
        foreach (var award in ledger.Awards)
        {
            var id = award.Determined.AwardId;
            var stream = ledger.AwardStreams[id];
            var account = ledger.Accounts[id];
            if (refold)
            {
                var refolded = stream.Aggregate(AwardAccount.Initial, AwardAccount.Fold);
                Describe(refolded).ShouldBe(Describe(account), $"the account held differs from the stream refolded ({where})");
            }
            Same(account.StreamVersion, stream.Count, () => $"award {id} version ({where})");

            var totals = AwardTotals.From(stream);
            foreach (var level in new[] { FundingLevel.Province, FundingLevel.City, FundingLevel.County })
            {
                var share = account.Share(level);
                var paidNet = account.PaidNet(level);
                var committed = account.Committed(level);
                var demanded = account.ClawbackDemanded(level);
                Same(paidNet, totals.PaidNet(level), () => $"award {id} paid net {level} vs its events ({where})");
                Same(committed, totals.Committed(level), () => $"award {id} committed {level} vs its events ({where})");
                Same(demanded, totals.Demanded(level), () => $"award {id} clawback demanded {level} vs its events ({where})");
                Same(account.ClawbackRepaid(level), totals.Repaid(level), () => $"award {id} clawback repaid {level} vs its events ({where})");

                Expect(paidNet <= share, () => $"award {id} paid {paidNet} above its {level} share {share} ({where})");
                Expect(committed <= share, () => $"award {id} committed {committed} above its {level} share {share} ({where})");
                Expect(demanded <= paidNet, () => $"award {id} clawed back {demanded}, more than the {paidNet} paid from {level} ({where})");
                Expect(account.ClawbackRepaid(level) <= demanded, () => $"award {id} repaid more than demanded from {level} ({where})");
            }

            CheckApprovals(ledger, award, stream, where);

            var ended = account.Award.Status == AwardStatus.Cancelled
                || ledger.Designations[award.Determined.DesignationId].Status == DesignationStatus.Revoked;
            Expect(!ended || !account.Disbursements.Values.Any(d => d.IsOpen), () => $"ended award {id} keeps an open disbursement ({where})");
        }

        var allAwardEvents = ledger.AwardStreams.Values.SelectMany(s => s).ToList();
        var allBudgetEvents = ledger.LineStreams.Values.SelectMany(s => s).ToList();
        Same(Sum(allBudgetEvents.OfType<BudgetPaid>().Select(e => e.Amount)), Sum(allAwardEvents.OfType<DisbursementPaid>().Select(e => e.Amount)),
            () => $"paid on lines vs on awards ({where})");
        Same(Sum(allBudgetEvents.OfType<BudgetReturned>().Select(e => e.Amount)), Sum(allAwardEvents.OfType<DisbursementReturned>().Select(e => e.Amount)),
            () => $"returned on lines vs on awards ({where})");
        Same(Sum(allBudgetEvents.OfType<BudgetClawbackCredited>().Select(e => e.Amount)), Sum(allAwardEvents.OfType<ClawbackRepaid>().Select(e => e.Amount)),
            () => $"repaid on lines vs on awards ({where})");

        var approved = ledger.Accounts.Values.SelectMany(a => a.Disbursements.Values).Where(d => d.Status == DisbursementStatus.Approved).ToList();
        foreach (var (key, events) in ledger.LineStreams)
        {
            var line = ledger.Lines[key];
            if (refold)
            {
                var refolded = events.Aggregate(BudgetLine.Initial(key), BudgetLine.Evolve);
                refolded.ShouldBe(line with { Reservations = refolded.Reservations }, $"line {key} held differs from its stream refolded ({where})");
                refolded.Reservations.OrderBy(r => r.Key).ShouldBe(line.Reservations.OrderBy(r => r.Key), where);
            }
            Same(line.StreamVersion, events.Count, () => $"line {key} version ({where})");

            Same(line.Appropriated, Sum(events.OfType<BudgetAppropriated>().Select(e => e.Amount)), () => $"line {key} appropriated ({where})");
            Same(line.Adjustments, Sum(events.OfType<BudgetAdjusted>().Select(e => e.Delta)), () => $"line {key} adjustments ({where})");
            Same(
                line.Reserved,
                Sum(events.OfType<BudgetReserved>().Select(e => e.Amount))
                - Sum(events.OfType<BudgetReservationReleased>().Select(e => e.Amount))
                - Sum(events.OfType<BudgetPaid>().Select(e => e.Amount)),
                () => $"line {key} reserved ({where})");
            Same(line.Paid, Sum(events.OfType<BudgetPaid>().Select(e => e.Amount)), () => $"line {key} paid ({where})");
            Same(line.Returned, Sum(events.OfType<BudgetReturned>().Select(e => e.Amount)), () => $"line {key} returned ({where})");
            Same(line.Repaid, Sum(events.OfType<BudgetClawbackCredited>().Select(e => e.Amount)), () => $"line {key} repaid ({where})");
            Expect(line.Available >= Money.Zero, () => $"line {key} has {line.Available} available, below zero ({where})");

            // What the line holds reserved is exactly what the awards hold approved and unpaid on it.
            var approvedHere = approved.Where(d => d.ReservationLine == key).ToList();
            Same(line.Reserved, Sum(approvedHere.Select(d => d.Amount)), () => $"line {key} reserved vs the approved disbursements on it ({where})");
            Expect(line.Reservations.Keys.Order().SequenceEqual(approvedHere.Select(d => d.Id).Order()), () => $"line {key} reservations vs approved disbursements ({where})");
        }
        Expect(approved.All(d => ledger.LineStreams.ContainsKey(d.ReservationLine)), () => $"an approved disbursement reserved on no line ({where})");
    }

    /// <summary>
    /// Replays the award stream: each final approval must record the approvals the rules asked for at that moment (award
    /// amount then, the policy's threshold or the default), and every disbursement that was ever paid must have had that
    /// many distinct approvers, none its requester unless the approval was a historical paper record.
    /// </summary>
    private static void CheckApprovals(RandomLedger ledger, RandomLedger.AwardSetup award, List<object> stream, string where)
    {
        var terms = award.Policy.Version(award.Determined.PolicyVersion).Terms;
        var awardAmount = Money.Zero;
        var requiredAtFinal = new Dictionary<Guid, int>();
        foreach (var @event in stream)
        {
            switch (@event)
            {
                case AwardDetermined e:
                    awardAmount = e.Amount;
                    break;
                case AwardRedetermined e:
                    awardAmount = e.NewAmount;
                    break;
                case DisbursementApproved { Final: true } final:
                    var expected = ledger.Settings.RequiredApprovals(awardAmount, terms);
                    Same(final.ApprovalsRequired, expected, () => $"approvals required for {final.DisbursementId} at its final approval ({where})");
                    requiredAtFinal[final.DisbursementId] = expected;
                    break;
            }
        }
        foreach (var disbursement in ledger.Accounts[award.Determined.AwardId].Disbursements.Values.Where(d => d.ValueDate is not null))
        {
            Expect(
                // A paper approval (an import) stands for the whole chain that signed it.
                disbursement.Approvals.Any(a => a.Historical) || disbursement.DistinctApprovers.Count >= requiredAtFinal[disbursement.Id],
                () => $"paid {disbursement.Id} has {disbursement.DistinctApprovers.Count} distinct approvers, fewer than {requiredAtFinal[disbursement.Id]} ({where})");
            Expect(
                !disbursement.Approvals.Any(a => !a.Historical && Disbursement.ApproverComparer.Equals(a.Approver, disbursement.Requester)),
                () => $"paid {disbursement.Id} was approved by its requester {disbursement.Requester} ({where})");
        }
    }

    // Checked ~200,000 times a game: plain comparisons, with the message built only on failure.
    private static void Expect(bool holds, Func<string> problem)
    {
        if (!holds)
        {
            throw new Xunit.Sdk.XunitException(problem());
        }
    }

    private static void Same<T>(T actual, T expected, Func<string> what) =>
        Expect(EqualityComparer<T>.Default.Equals(actual, expected), () => $"{what()}: expected {expected}, was {actual}");

    /// <summary>Figures recomputed from the raw award events, independently of <see cref="AwardAccount"/>.</summary>
    private sealed class AwardTotals
    {
        private readonly Dictionary<Guid, (FundingLevel Level, Money Amount)> _requested = [];
        private readonly Dictionary<Guid, FundingLevel> _clawbackLevel = [];
        private readonly Dictionary<FundingLevel, Money> _paid = [];
        private readonly Dictionary<FundingLevel, Money> _committed = [];
        private readonly Dictionary<FundingLevel, Money> _demanded = [];
        private readonly Dictionary<FundingLevel, Money> _repaid = [];

        public static AwardTotals From(IEnumerable<object> stream)
        {
            var totals = new AwardTotals();
            foreach (var @event in stream)
            {
                totals.Add(@event);
            }
            return totals;
        }

        public Money PaidNet(FundingLevel level) => _paid.GetValueOrDefault(level);
        public Money Committed(FundingLevel level) => _committed.GetValueOrDefault(level);
        public Money Demanded(FundingLevel level) => _demanded.GetValueOrDefault(level);
        public Money Repaid(FundingLevel level) => _repaid.GetValueOrDefault(level);

        private void Add(object @event)
        {
            switch (@event)
            {
                case DisbursementRequested e:
                    _requested[e.DisbursementId] = (e.Level, e.Amount);
                    Plus(_committed, e.Level, e.Amount);
                    break;
                case DisbursementRejected e:
                    Plus(_committed, _requested[e.DisbursementId].Level, -_requested[e.DisbursementId].Amount);
                    break;
                case DisbursementCancelled e:
                    Plus(_committed, _requested[e.DisbursementId].Level, -_requested[e.DisbursementId].Amount);
                    break;
                case DisbursementPaid e:
                    Plus(_paid, _requested[e.DisbursementId].Level, e.Amount);
                    break;
                case DisbursementReturned e:
                    Plus(_paid, _requested[e.DisbursementId].Level, -e.Amount);
                    Plus(_committed, _requested[e.DisbursementId].Level, -e.Amount);
                    break;
                case ClawbackDemanded e:
                    _clawbackLevel[e.ClawbackId] = e.Level;
                    Plus(_demanded, e.Level, e.Amount);
                    break;
                case ClawbackRepaid e:
                    Plus(_repaid, _clawbackLevel[e.ClawbackId], e.Amount);
                    break;
            }
        }

        private static void Plus(Dictionary<FundingLevel, Money> sums, FundingLevel level, Money amount) =>
            sums[level] = sums.GetValueOrDefault(level) + amount;
    }

    private static Money Sum(IEnumerable<Money> amounts) => amounts.Aggregate(Money.Zero, (sum, m) => sum + m);

    private static string EventsOf(Decision decision) => string.Join(", ", decision.Events.Select(e => e.GetType().Name));

    /// <summary>
    /// Which state object each stream holds and how many events it has. States are immutable records (immutable
    /// collections inside), so the same objects and the same counts mean the same content: a refused command that
    /// appended nothing and replaced no state changed nothing.
    /// </summary>
    private sealed record Snapshot(string Text)
    {
        public static Snapshot Of(RandomLedger ledger)
        {
            var text = new StringBuilder();
            foreach (var (id, account) in ledger.Accounts.OrderBy(a => a.Key))
            {
                text.Append(CultureInfo.InvariantCulture, $"award {id}: {ledger.AwardStreams[id].Count} events, state #{RuntimeHelpers.GetHashCode(account)}; ");
            }
            foreach (var (key, line) in ledger.Lines.OrderBy(l => l.Key.ToString(), StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"line {key}: {ledger.LineStreams[key].Count} events, state #{RuntimeHelpers.GetHashCode(line)} available {line.Available}; ");
            }
            foreach (var (id, designation) in ledger.Designations.OrderBy(d => d.Key))
            {
                text.Append(CultureInfo.InvariantCulture, $"designation {id}: {designation.Status} #{RuntimeHelpers.GetHashCode(designation)}; ");
            }
            return new Snapshot(text.ToString());
        }
    }

    private static string Describe(AwardAccount account)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{account.Award.Status} {account.Award.Amount} v{account.StreamVersion}/{account.Award.StreamVersion} [")
            .AppendJoin("; ", account.Award.Funding.Select(f => $"{f.Level} {f.DivisionCode} {f.Amount}"))
            .Append("] ");
        foreach (var d in account.InOrder)
        {
            text.Append(CultureInfo.InvariantCulture, $"#{d.Number} {d.Id} {d.Status} {d.Amount} {d.ReservationLine} by {d.Requester} ok[")
                .AppendJoin(",", d.Approvals.Select(a => $"{a.Approver}{(a.Historical ? "*" : "")}"))
                .Append(CultureInfo.InvariantCulture, $"] {d.VoucherNumber} {d.ValueDate} {d.ReturnedOn} {d.EndReason}; ");
        }
        foreach (var c in account.Clawbacks.Values.OrderBy(c => c.Id))
        {
            text.Append(CultureInfo.InvariantCulture, $"clawback {c.Id} {c.Level} {c.DivisionCode} {c.Amount} repaid {c.Repaid} in {c.Repayments.Count}; ");
        }
        return text.ToString();
    }
}
