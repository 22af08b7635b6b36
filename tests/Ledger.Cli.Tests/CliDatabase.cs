using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.Testing;
using NodaTime;

namespace Ledger.Cli.Tests;

/// <summary>A fresh migrated database for command-line tests, the command run in process against it, and a Xishan award to work on.</summary>
public abstract class CliDatabase : IAsyncLifetime
{
    protected LedgerDatabase Database { get; private set; } = null!;

    protected string Connection { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Connection = await TestPostgres.ConnectionStringAsync(await TestPostgres.CreateEmptyDatabaseAsync(TestPostgres.Template));
        Database = await LedgerDatabase.OpenAsync(Connection);
    }

    public virtual async Task DisposeAsync() => await Database.DisposeAsync();

    /// <summary>Runs <c>ledger</c> with the arguments and <c>--db</c> of this database; answers the exit code, stdout and stderr.</summary>
    protected async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await LedgerCli.RunAsync([.. args, "--db", Connection], output, error);
        return (code, output.ToString(), error.ToString());
    }

    protected async Task<long> EventsAsync()
    {
        await using var command = Database.Owner.CreateCommand("SELECT count(*) FROM mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The Xishan policy (provincial SRDI up to 300,000, county 100 %), a budget line of 1,000,000 for <paramref name="year"/>,
    /// and one enterprise with a bank account whose provincial recognition of 2022-01-20 is imported: answers its USCC and award.
    /// </summary>
    protected static async Task<(string Uscc, Guid Award)> XishanAwardAsync(LedgerApp app, int year, string first17 = "91320205MA1Y00001")
    {
        var admin = new Caller("admin", "admin");
        var clerk = new Caller("clerk-li", "clerk");
        var terms = new PolicyDraft("锡山区专精特新奖励", "锡政发〔2021〕1号", new LocalDate(2021, 1, 1), new LocalDate(2021, 1, 1), null,
            [new RuleDraft("provincial-srdi", AwardTrigger.Recognition, 300000m, AmountKind.UpTo)], Stacking.HighestOnly,
            [new FundingShare(FundingLevel.County, 100m)], 5, null);
        await app.SendAsync(new IssueAwardPolicy("320205", "无锡市锡山区", terms, "", default), admin);
        await app.SendAsync(new AppropriateBudget(new BudgetLineKey("320205", year, FundingLevel.County), 1_000_000m, "", default), admin);
        var uscc = first17 + Uscc.CheckCharacter(first17);
        var enterprise = await app.SendAsync(new RegisterEnterprise(uscc, "示例精密机械有限公司", "320205", "制造业",
            new BankAccount("中国工商银行无锡锡山支行", "示例精密机械有限公司", "1103020109000001234"), "", default), clerk);
        var designation = await app.SendAsync(new RecognizeDesignation(enterprise, "provincial-srdi", new RecognisingAuthority("320000", "江苏省工业和信息化厅"),
            "苏工信〔2022〕1号", new LocalDate(2022, 1, 20), null, null, null, "", default, new HistoricalImport("cli-tests")), clerk);
        return (uscc, (await app.Awards.AccountsAsync("designation_id = $1", CancellationToken.None, designation)).Single().Award.Id);
    }
}
