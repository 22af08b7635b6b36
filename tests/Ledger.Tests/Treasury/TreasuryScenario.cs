using System.Text;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using Ledger.Treasury;
using NodaTime;

namespace Ledger.Tests.Treasury;

/// <summary>Awards ready to be paid, built through the ledger's commands, and reading the instruction files back.</summary>
internal static class TreasuryScenario
{
    /// <summary>2024-03-01 10:00 in China: every award below was recognised early enough to be out of its publicity period.</summary>
    public static readonly Instant Now = Instant.FromUtc(2024, 3, 1, 2, 0);

    public static readonly LocalDate Recognized = new(2024, 1, 10);

    public static readonly Caller Admin = new("admin", "admin");
    public static readonly Caller Clerk = new("clerk-li", "clerk");

    public static IssueAwardPolicy Xishan => new("320205", "无锡市锡山区", TestPolicies.XishanDraft, "admin", Now);

    /// <summary>Jiaxing (嘉兴市) pays half from the city and half from the enterprise's county; 1,000,000 or more needs two approvers.</summary>
    public static IssueAwardPolicy Jiaxing => new("330400", "嘉兴市", TestPolicies.JiaxingDraft, "admin", Now);

    /// <summary>Registers enterprise number <paramref name="serial"/> in <paramref name="county"/> with a bank account, records its recognition and returns the award <paramref name="policy"/> determined.</summary>
    public static async Task<Guid> AwardAsync(LedgerApp app, IssueAwardPolicy policy, string county, string tier, int serial)
    {
        if (await app.Store.StreamVersionAsync(AwardPolicyDecider.StreamId(policy.IssuerCode, policy.Terms.DocumentNumber)) == 0)
        {
            await app.SendAsync(policy, Admin);
        }
        var name = $"测试企业{serial}";
        var enterprise = await app.SendAsync(new RegisterEnterprise(LedgerFixture.UsccFor(county, serial), name, county, "制造业",
            new BankAccount("中国工商银行测试支行", name, $"1103020109{serial:D8}"), "clerk", Now), Clerk);
        await app.SendAsync(new RecognizeDesignation(enterprise, tier, LedgerFixture.AuthorityFor(app.Reference, tier, county), "苏工信〔2022〕1号", Recognized, null, null, null,
            "clerk", Now, new Ledger.Imports.HistoricalImport("treasury-scenario")), Clerk);
        return (await app.Awards.AccountsAsync("enterprise_id = $1", CancellationToken.None, enterprise)).Single().Award.Id;
    }

    public static Task AppropriateAsync(LedgerApp app, BudgetLineKey line, decimal yuan = 5_000_000m) =>
        app.SendAsync(new AppropriateBudget(line, yuan, "admin", Now), Admin);

    public static async Task<Guid> RequestAsync(LedgerApp app, Guid award, decimal yuan, FundingLevel level = FundingLevel.County)
    {
        var id = Guid.NewGuid();
        await app.SendAsync(new RequestDisbursement(award, id, yuan, level, 2024, "clerk-li", Now), Clerk);
        return id;
    }

    public static Task ApproveAsync(LedgerApp app, Guid award, Guid disbursement, string approver = "approver-wang", HistoricalApproval? historical = null, string? key = null) =>
        app.SendAsync(new ApproveDisbursement(award, disbursement, approver, Now, historical), new Caller(approver, "approver", key));

    /// <summary>The records of an instruction file after its byte order mark: the header first, without their CRLF.</summary>
    public static IReadOnlyList<string> Lines(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[..3].ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF }, $"{path} starts with a UTF-8 byte order mark");
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        text.ShouldEndWith("\r\n");
        text.IndexOf('\uFEFF', StringComparison.Ordinal).ShouldBe(-1, "one byte order mark, at the start");
        return text[..^2].Split("\r\n");
    }

    public static string Header => string.Join(',', WriteTreasuryInstruction.Columns);
}
