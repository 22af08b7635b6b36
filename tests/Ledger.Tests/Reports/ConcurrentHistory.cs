using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Reports;

/// <summary>
/// A large messy history written by several writers at once through the real handlers: enterprises in Xishan (up-to
/// awards, county-funded) and Haiyan (Jiaxing's city:50/county:50 awards), recognitions of 2023 and 2024 paid in 2024,
/// tranches, bank returns paid again, lowered awards, rejections, cancellations, clawbacks and repayments, revocations.
/// All writers draw on the same budget lines, so their approvals and payments race on them.
/// </summary>
internal sealed class ConcurrentHistory(LedgerApp app, int writers)
{
    /// <summary>Friday 20 December 2024, 10:00 in China: every publicity period is over, every payment is dated today.</summary>
    public static readonly Instant Today = Instant.FromUtc(2024, 12, 20, 2, 0);
    private static readonly LocalDate ValueDate = new(2024, 12, 20);

    private int _enterprises;

    public int Refusals;

    /// <summary>Commands that lost the race on a busy budget line through every retry round, as a caller would see them (409).</summary>
    public int Conflicts;

    public static async Task<ConcurrentHistory> SetUpAsync(LedgerApp app, int writers)
    {
        var admin = new Caller("admin", "admin");
        await app.SendAsync(TestPolicies.IssueXishan, admin);
        await app.SendAsync(TestPolicies.IssueJiaxing, admin);
        foreach (var line in new BudgetLineKey[]
        {
            new(TestReference.Xishan, 2024, FundingLevel.County), new(TestReference.Jiaxing, 2024, FundingLevel.City),
            new(TestReference.Haiyan, 2024, FundingLevel.County),
        })
        {
            await app.SendAsync(new AppropriateBudget(line, 5_000_000_000m, "admin", Today), admin);
        }
        return new ConcurrentHistory(app, writers);
    }

    /// <summary>Runs the writers until <paramref name="enough"/> says stop; each writer has its own seed.</summary>
    public Task RunAsync(int seed, Func<bool> enough) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var rng = new Random(seed * 100 + w);
            while (!enough())
            {
                await OneEnterpriseAsync(rng, w);
            }
        })));

    private async Task OneEnterpriseAsync(Random rng, int writer)
    {
        var serial = Interlocked.Increment(ref _enterprises);
        var xishan = rng.Next(2) == 0;
        var county = xishan ? TestReference.Xishan : TestReference.Haiyan;
        var clerk = new Caller($"clerk-{writer}", "clerk");
        var enterprise = await app.SendAsync(new RegisterEnterprise(
            LedgerFixture.UsccFor(county, 500_000 + serial), $"并发企业{serial}", county, "制造业",
            new BankAccount("中国工商银行", $"并发企业{serial}", $"6202{serial:D10}"), "clerk", Today), clerk);
        // Xishan's little giant (up to 500,000) is at the dual-approval threshold: two approvers sign its tranches' awards.
        var tier = xishan ? rng.Next(5) switch { 0 => "national-little-giant", 1 or 2 => "provincial-srdi", _ => "municipal-srdi" } : "provincial-hidden-champion";
        var on = new LocalDate(2023, 1, 2).PlusDays(rng.Next(0, 660));
        var designation = await app.SendAsync(new RecognizeDesignation(enterprise, tier, LedgerFixture.AuthorityFor(app.Reference, tier, county),
            $"认〔{on.Year}〕{serial}号", on, null, null, null, "clerk", Today, new HistoricalImport("concurrent-history")), clerk);
        var account = (await app.Awards.AccountsAsync("designation_id = $1", CancellationToken.None, designation)).Single();
        var award = account.Award.Id;

        if (xishan && rng.Next(5) == 0)
        {
            await TryAsync(() => app.SendAsync(new RedetermineAward(award, account.Award.Amount - Money.Of(rng.Next(1, 40) * 1000m), "核减", "admin", Today),
                new Caller("admin", "admin")));
        }
        foreach (var share in (await app.Awards.LoadAsync(award)).State.Award.Funding)
        {
            var first = decimal.Round(share.Amount.Yuan * rng.Next(30, 70) / 100m, 2);
            var paid = await TrancheAsync(rng, writer, award, share.Level, first, clerk);
            if (paid is { } disbursement && rng.Next(4) == 0)
            {
                await TryAsync(() => app.SendAsync(new RecordDisbursementReturn(award, disbursement, ValueDate, "账户已销户", clerk.Actor, Today), clerk));
                await TrancheAsync(rng, writer, award, share.Level, first, clerk);
            }
            var rest = (await app.Awards.LoadAsync(award)).State.Uncommitted(share.Level).Yuan;
            if (rest > 0)
            {
                await TrancheAsync(rng, writer, award, share.Level, rest, clerk);
            }
        }
        var state = (await app.Awards.LoadAsync(award)).State;
        var level = state.Award.Funding[0].Level;
        if (state.PaidNet(level) > Money.Zero && rng.Next(6) == 0)
        {
            var clawback = Guid.NewGuid();
            var demanded = decimal.Round(state.PaidNet(level).Yuan / 2, 2);
            await TryAsync(() => app.SendAsync(new DemandClawback(award, clawback, level, demanded, "核查不符", "admin", Today), new Caller("admin", "admin")));
            if (rng.Next(3) > 0)
            {
                await TryAsync(() => app.SendAsync(new RecordClawbackRepayment(award, clawback, decimal.Round(demanded / 2, 2), ValueDate, $"R-{writer}-{serial}", clerk.Actor, Today), clerk));
            }
        }
        if (rng.Next(15) == 0)
        {
            await TryAsync(() => app.SendAsync(new RevokeDesignation(designation, "申报数据造假", ValueDate, rng.Next(2) == 0, "admin", Today), new Caller("admin", "admin")));
        }
    }

    /// <summary>A request approved and then (mostly) paid, rejected or cancelled; answers the disbursement when it was paid.</summary>
    private async Task<Guid?> TrancheAsync(Random rng, int writer, Guid award, FundingLevel level, decimal amount, Caller clerk)
    {
        var disbursement = Guid.NewGuid();
        if (!await TryAsync(() => app.SendAsync(new RequestDisbursement(award, disbursement, amount, level, 2024, clerk.Actor, Today), clerk)))
        {
            return null;
        }
        var approver = new Caller($"approver-{writer}", "approver");
        switch (rng.Next(10))
        {
            case 0:
                await TryAsync(() => app.SendAsync(new RejectDisbursement(award, disbursement, "材料不全", approver.Actor, Today), approver));
                return null;
            case 1:
                await TryAsync(() => app.SendAsync(new CancelDisbursement(award, disbursement, "企业申请撤回", clerk.Actor, Today), clerk));
                return null;
        }
        if (!await TryAsync(() => app.SendAsync(new ApproveDisbursement(award, disbursement, approver.Actor, Today), approver)))
        {
            return null;
        }
        if ((await app.Awards.LoadAsync(award)).State.Find(disbursement)?.Status == DisbursementStatus.Requested)
        {
            var second = new Caller($"approver2-{writer}", "approver");
            if (!await TryAsync(() => app.SendAsync(new ApproveDisbursement(award, disbursement, second.Actor, Today), second)))
            {
                return null;
            }
        }
        if (rng.Next(12) == 0)
        {
            await TryAsync(() => app.SendAsync(new CancelDisbursement(award, disbursement, "改期支付", clerk.Actor, Today), clerk));
            return null;
        }
        return await TryAsync(() => app.SendAsync(new RecordDisbursementPayment(award, disbursement, $"V-{disbursement:N}", ValueDate, clerk.Actor, Today), clerk))
            ? disbursement
            : null;
    }

    /// <summary>
    /// Runs a command; a refusal by the domain, or a conflict that outlasted the retries on a busy line, is counted (the
    /// history stays valid: nothing of the command was written); anything else fails the test.
    /// </summary>
    private async Task<bool> TryAsync(Func<Task> command)
    {
        try
        {
            await command();
            return true;
        }
        catch (DomainException)
        {
            Interlocked.Increment(ref Refusals);
            return false;
        }
        catch (Ledger.EventStore.ConcurrencyException)
        {
            Interlocked.Increment(ref Conflicts);
            return false;
        }
    }
}
