using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Disbursements;

/// <summary>The disbursement handler end to end on PostgreSQL, where a rule spans more than one award stream.</summary>
public sealed class DisbursementHandlerTests : LedgerFixture
{
    /// <summary>
    /// Found by <see cref="RandomDatabaseInvariantTests"/> (seed 2025, step 181, before the game stopped drawing such ids):
    /// the decider looks for a duplicate id only inside the award's own account, so an id already used on another award
    /// reaches the <c>disbursements</c> projection, whose primary key refuses it with a raw <c>PostgresException</c> 23505
    /// (<c>disbursements_pkey</c>). The transaction rolls back, so nothing is appended, but the caller gets no rule
    /// violation to show (an HTTP 500 instead of a 422 naming the other disbursement).
    /// </summary>
    [Fact]
    public async Task A_disbursement_id_already_used_on_another_award_is_refused_as_a_duplicate()
    {
        await App.Policies.IssueAsync(TestPolicies.IssueXishan, As("admin", "admin"));
        var first = await AwardOfNewEnterpriseAsync(1);
        var second = await AwardOfNewEnterpriseAsync(2);
        var id = Guid.Parse("966c8e76-7256-af45-066c-ff4c57c4eda2");
        await App.Disbursements.RequestAsync(new RequestDisbursement(first, id, 10_000m, FundingLevel.County, null, "clerk-li", Now), As("clerk-li"));
        var head = (await App.Store.HeadAsync()).Seq;

        var error = await Record.ExceptionAsync(() =>
            App.Disbursements.RequestAsync(new RequestDisbursement(second, id, 15_142m, FundingLevel.County, 2025, "approver-wang", Now), As("approver-wang")));

        (await App.Store.HeadAsync()).Seq.ShouldBe(head, "the refused request appended events");
        error.ShouldBeOfType<DomainException>($"the request was refused with {error}").Code.ShouldBe("disbursement.duplicate-id");
    }

    private async Task<Guid> AwardOfNewEnterpriseAsync(int serial)
    {
        var enterprise = await App.Enterprises.RegisterAsync(
            new RegisterEnterprise(UsccFor(TestReference.Xishan, 800 + serial), $"重复编号企业{serial}", TestReference.Xishan, "制造业",
                new BankAccount("中国工商银行", $"重复编号企业{serial}", $"6202000000{serial:D4}"), "clerk", Now),
            As("clerk"));
        await App.Designations.RecognizeAsync(
            new RecognizeDesignation(enterprise, "provincial-srdi", "江苏省工业和信息化厅", $"苏工信〔2023〕{serial}号", new LocalDate(2023, 6, 1),
                null, null, null, "clerk", Now, new HistoricalImport("", "")),
            As("clerk"));
        return (await AwardsOfAsync(enterprise)).ShouldHaveSingleItem().AwardId;
    }
}
