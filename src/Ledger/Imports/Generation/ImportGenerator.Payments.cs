using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Imports.Generation;

public sealed partial class ImportGenerator
{
    private static readonly string[] LoweringReasons =
    [
        "按企业上年度研发投入核定奖励金额",
        "按绩效评价结果核定奖励金额",
        "年度奖励资金总额控制，按比例核减",
    ];

    private static readonly string[] ReturnReasons =
    [
        "收款账户已销户，银行退回",
        "户名与账号不符，银行退回",
        "收款行行号有误，银行退回",
    ];

    private static readonly string[] ClawbackReasons =
    [
        "申报材料数据不实，追回奖励资金",
        "企业迁出本地未满约定年限，按协议追回",
        "同一事项重复享受奖励，追回重复部分",
    ];

    /// <summary>
    /// What happens to one award: now and then lowered (up-to only, before anything is paid), then each funding share paid
    /// in one or two tranches, in the year of the determination or after it, some returned by the bank and paid again,
    /// a few clawed back, partly or fully repaid. Every amount stays within what the import will have determined.
    /// </summary>
    private void Settle(ImportFileWriter writer, ref DeterministicRandom rng, County county, AwardReference reference, AwardState award)
    {
        var policy = county.Policy;
        if (award.Rule!.Kind == AmountKind.UpTo && rng.Chance(0.07))
        {
            var lowered = decimal.Floor(award.Amount.Yuan * rng.Between(50, 90) / 100m / 1000m) * 1000m;
            if (lowered > 0m && lowered < award.Amount.Yuan)
            {
                var reason = rng.Pick(LoweringReasons);
                award = _book.Lower(award, Money.Of(lowered), reason);
                writer.Write(new LoweringRow(reference, policy.Key, award.Amount, reason));
            }
        }
        var first = _calendar.FirstApprovalDate(award.DeterminationDate, policy.Terms.PublicityWorkingDays);
        ClawbackRow? clawback = null;
        foreach (var share in award.Funding.Where(s => s.Amount.IsPositive))
        {
            var (net, last) = Pay(writer, ref rng, policy.Key, reference, share, award.DeterminationDate, first);
            if (clawback is null && net.IsPositive && rng.Chance(0.006))
            {
                clawback = Clawback(ref rng, reference, policy.Key, share, net, last);
            }
        }
        if (clawback is not null)
        {
            writer.Write(clawback);
        }
    }

    /// <summary>Pays one share; answers what was paid and not returned, and the last value date.</summary>
    private (Money Net, LocalDate Last) Pay(
        ImportFileWriter writer, ref DeterministicRandom rng, string policyKey, AwardReference reference, FundingAmount share, LocalDate determined, LocalDate first)
    {
        var plan = rng.NextDouble();
        var nextYear = new LocalDate(determined.Year + 1, 1, 5);
        List<(Money Amount, LocalDate On)> tranches = [];
        if (plan < 0.05)
        {
            return (Money.Zero, determined);
        }
        else if (plan < 0.58)
        {
            tranches.Add((share.Amount, PayDate(ref rng, first, determined.PlusDays(10), 60)));
        }
        else if (plan < 0.88)
        {
            tranches.Add((share.Amount, PayDate(ref rng, first, nextYear, 150)));
        }
        else if (plan < 0.97 && share.Amount.Yuan >= 200m)
        {
            var half = Money.Of(decimal.Floor(share.Amount.Yuan / 2m / 100m) * 100m);
            var on = PayDate(ref rng, first, determined.PlusDays(10), 60);
            tranches.Add((half, on));
            tranches.Add((share.Amount - half, PayDate(ref rng, on.PlusDays(1), nextYear.PlusMonths(2), 120)));
        }
        else
        {
            tranches.Add((share.Amount, PayDate(ref rng, first, nextYear.PlusYears(1).PlusMonths(2), 200)));
        }

        var net = Money.Zero;
        var last = determined;
        foreach (var (amount, on) in tranches.Where(t => t.On <= Horizon))
        {
            var voucher = Payment(writer, ref rng, policyKey, reference, share, amount, on);
            if (rng.Chance(0.012) && Due(on.PlusDays(rng.Between(1, 15))) is var returnedOn && returnedOn <= Horizon)
            {
                writer.Write(new ReturnRow(voucher, returnedOn, rng.Pick(ReturnReasons)));
                _tally.Touch(new BudgetLineKey(share.DivisionCode, returnedOn.Year, share.Level));
                if (rng.Chance(0.85) && Due(returnedOn.PlusDays(rng.Between(5, 30))) is var again && again <= Horizon)
                {
                    Payment(writer, ref rng, policyKey, reference, share, amount, again);
                    net += amount;
                    last = LocalDate.Max(last, again);
                }
                continue;
            }
            net += amount;
            last = LocalDate.Max(last, on);
        }
        return (net, last);
    }

    /// <summary>Writes one payment, charges its line and answers its voucher.</summary>
    private string Payment(ImportFileWriter writer, ref DeterministicRandom rng, string policyKey, AwardReference reference, FundingAmount share, Money amount, LocalDate on)
    {
        var voucher = _tally.NextVoucher(share.DivisionCode, on.Year);
        var approvedBy = rng.Chance(0.25) ? $"{_reference.FindDivision(share.DivisionCode)!.Name}财政局" : null;
        writer.Write(new PaymentRow(reference, policyKey, amount, share.Level, on, voucher, approvedBy));
        _tally.Charge(new BudgetLineKey(share.DivisionCode, on.Year, share.Level), amount);
        return voucher;
    }

    /// <summary>A demand for all or half of what the share paid, after its last payment; repaid (in full or half) more often than not.</summary>
    private ClawbackRow? Clawback(ref DeterministicRandom rng, AwardReference reference, string policyKey, FundingAmount share, Money net, LocalDate last)
    {
        var amount = rng.Chance(0.7) ? net : Money.Of(decimal.Floor(net.Yuan / 2m));
        var demandedOn = Due(last.PlusDays(rng.Between(60, 400)));
        if (!amount.IsPositive || demandedOn > Horizon)
        {
            return null;
        }
        var reason = rng.Pick(ClawbackReasons);
        if (rng.Chance(0.6))
        {
            var repaid = rng.Chance(0.7) ? amount : Money.Of(decimal.Floor(amount.Yuan / 2m));
            var repaidOn = Due(demandedOn.PlusDays(rng.Between(10, 90)));
            if (repaid.IsPositive && repaidOn <= Horizon)
            {
                _tally.Touch(new BudgetLineKey(share.DivisionCode, repaidOn.Year, share.Level));
                return new ClawbackRow(reference, policyKey, share.Level, amount, demandedOn, reason,
                    repaid, repaidOn, _tally.NextVoucher(share.DivisionCode, repaidOn.Year, "JK"));
            }
        }
        return new ClawbackRow(reference, policyKey, share.Level, amount, demandedOn, reason, null, null, null);
    }

    /// <summary>A working day on or after both <paramref name="first"/> and a day drawn from <paramref name="from"/> over <paramref name="span"/> days.</summary>
    private LocalDate PayDate(ref DeterministicRandom rng, LocalDate first, LocalDate from, int span) =>
        Due(LocalDate.Max(first, from.PlusDays(rng.Next(span))));

    /// <summary>The working day on or after <paramref name="date"/>; a day past the horizon is left as it is (nothing is written for it).</summary>
    private LocalDate Due(LocalDate date) => date > Horizon ? date : WorkingDay(date);
}
