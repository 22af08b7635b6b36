using System.Text.Json;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;
using Ledger.Testing;
using Ledger.Treasury;
using NodaTime;
using NodaTime.Testing;

namespace Ledger.Cli.Tests;

/// <summary><c>ledger outbox</c> over a real message store: what could not be written, and what still waits.</summary>
public sealed class OutboxFacts : IAsyncLifetime
{
    private static readonly Instant Now = Instant.FromUtc(2024, 3, 1, 2, 0);
    private static readonly Caller Admin = new("admin", "admin");
    private static readonly Caller Clerk = new("clerk-li", "clerk");

    private static readonly PolicyDraft Xishan = new(
        "锡山区专精特新奖励", "锡政发〔2021〕1号", new LocalDate(2021, 1, 1), new LocalDate(2021, 1, 1), null,
        [new RuleDraft("provincial-srdi", AwardTrigger.Recognition, 300000m, AmountKind.UpTo)],
        Stacking.HighestOnly, [new FundingShare(FundingLevel.County, 100m)], 5, null);

    // A file where the treasury folder should be: no line can be written.
    private readonly string _poisoned = Path.Combine(Path.GetTempPath(), $"ledger-treasury-poisoned-{Guid.NewGuid():N}");
    private string _connection = null!;
    private LedgerDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _connection = await TestPostgres.ConnectionStringAsync(await TestPostgres.CreateEmptyDatabaseAsync(TestPostgres.Template));
        _db = await LedgerDatabase.OpenAsync(_connection);
        await File.WriteAllTextAsync(_poisoned, "not a folder");
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        File.Delete(_poisoned);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await LedgerCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Approves a disbursement on a ledger whose treasury folder is a file, and waits until Wolverine gives its line up.</summary>
    private async Task<Guid> ApprovalThatCannotBeWrittenAsync()
    {
        await using var app = await LedgerApp.StartAsync(_db, ReferenceDataLoader.LoadDefault(), new LedgerAppOptions { Clock = new FakeClock(Now), TreasuryFolder = _poisoned });
        await app.SendAsync(new IssueAwardPolicy("320205", "无锡市锡山区", Xishan, "admin", Now), Admin);
        const string first17 = "9132020500000001X";
        var enterprise = await app.SendAsync(new RegisterEnterprise(first17 + Uscc.CheckCharacter(first17), "锡山精工有限公司", "320205", "制造业",
            new BankAccount("江苏银行无锡锡山支行", "锡山精工有限公司", "32110188000099887"), "clerk", Now), Clerk);
        await app.SendAsync(new RecognizeDesignation(enterprise, "provincial-srdi", new Ledger.Designations.RecognisingAuthority("320000", "江苏省工业和信息化厅"), "苏工信〔2022〕1号",
            new LocalDate(2024, 1, 10), null, null, null, "clerk", Now, new Ledger.Imports.HistoricalImport("outbox-facts")), Clerk);
        var award = (await app.Awards.AccountsAsync("enterprise_id = $1", CancellationToken.None, enterprise)).Single().Award.Id;
        await app.SendAsync(new AppropriateBudget(new BudgetLineKey("320205", 2024, FundingLevel.County), 1_000_000m, "admin", Now), Admin);
        var disbursement = Guid.NewGuid();
        await app.SendAsync(new RequestDisbursement(award, disbursement, 100_000m, FundingLevel.County, 2024, "clerk-li", Now), Clerk);

        await app.SendAsync(new ApproveDisbursement(award, disbursement, "approver-wang", Now), new Caller("approver-wang", "approver"));

        // A deadline so that a broken build fails instead of hanging: the retries take a few seconds.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await TreasuryOutbox.ReadAsync(_db.App)).DeadLetters.Count == 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the instruction never reached the dead letters");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        return disbursement;
    }

    [Fact]
    public async Task Outbox_exits_0_when_nothing_failed_and_nothing_waits()
    {
        var (code, output, _) = await RunAsync("outbox", "--db", _connection);

        code.ShouldBe(ExitCodes.Ok);
        output.ShouldContain("Treasury instructions that could not be written: none");
        output.ShouldContain("Waiting to be written: 0 (incoming 0, outgoing 0)");
    }

    [Fact]
    public async Task Outbox_lists_an_instruction_that_went_to_the_dead_letters_in_every_format_and_exits_1()
    {
        var disbursement = await ApprovalThatCannotBeWrittenAsync();

        var (code, table, _) = await RunAsync("outbox", "--db", _connection);
        code.ShouldBe(ExitCodes.CheckFailed);
        table.ShouldContain("Treasury instructions that could not be written: 1");
        table.ShouldContain(disbursement.ToString());
        table.ShouldContain("write-treasury-instruction");
        table.ShouldContain("System.IO.IOException: ");
        table.ShouldContain("Waiting to be written: 0");

        var (jsonCode, json, _) = await RunAsync("outbox", "--db", _connection, "--format", "json");
        jsonCode.ShouldBe(ExitCodes.CheckFailed);
        using var document = JsonDocument.Parse(json);
        var dead = document.RootElement.GetProperty("deadLetters").EnumerateArray().ShouldHaveSingleItem();
        dead.GetProperty("disbursementId").GetGuid().ShouldBe(disbursement);
        dead.GetProperty("messageType").GetString().ShouldBe(WriteTreasuryInstruction.MessageTypeName);
        dead.GetProperty("exceptionType").GetString().ShouldBe("System.IO.IOException");
        dead.GetProperty("exceptionMessage").GetString().ShouldNotBeNullOrEmpty();
        dead.GetProperty("failedAt").GetString().ShouldNotBeNullOrEmpty();
        document.RootElement.GetProperty("waiting").GetInt64().ShouldBe(0);

        var (csvCode, csv, _) = await RunAsync("outbox", "--db", _connection, "--format", "csv");
        csvCode.ShouldBe(ExitCodes.CheckFailed);
        var rows = csv.TrimEnd().Split('\n');
        rows[0].ShouldBe("\uFEFFid,message_type,disbursement_id,exception_type,exception_message,failed_at");
        rows.Length.ShouldBe(2);
        rows[1].ShouldContain($",write-treasury-instruction,{disbursement},System.IO.IOException,");
    }
}
