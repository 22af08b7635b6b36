using System.Collections.Concurrent;
using Ledger.Budgets;
using Ledger.Disbursements;
using Ledger.Policies;
using Ledger.Tests.Support;
using Ledger.Treasury;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;
using Wolverine.Tracking;
using static Ledger.Tests.Treasury.TreasuryScenario;

namespace Ledger.Tests.Treasury;

/// <summary>
/// End to end on PostgreSQL: the final approval of a disbursement publishes its treasury instruction with its commit,
/// and the durable local handler writes it as one line of the paying line's file for the day, once.
/// </summary>
public sealed class TreasuryInstructionTests : LedgerFixture
{
    private static readonly BudgetLineKey XishanCounty = new("320205", 2024, FundingLevel.County);
    private static readonly BudgetLineKey JiaxingCity = new("330400", 2024, FundingLevel.City);
    private static readonly BudgetLineKey HaiyanCounty = new("330424", 2024, FundingLevel.County);

    private readonly Handled _handled = new();
    private int _serial;

    protected override LedgerAppOptions AppOptions => base.AppOptions with { TreasuryFaultPoints = _handled };

    private TreasuryInstructionWriter Writer => App.Host.Services.GetRequiredService<TreasuryInstructionWriter>();

    private Task<Guid> XishanAwardAsync() => AwardAsync(App, Xishan, "320205", "provincial-srdi", Interlocked.Increment(ref _serial));

    /// <summary>Sends and waits until every message it caused (the instruction, if any) has been handled.</summary>
    private Task<ITrackedSession> TrackedAsync(Func<Task> send, bool failuresExpected = false)
    {
        var tracking = App.Host.TrackActivity().Timeout(TimeSpan.FromMinutes(1));
        if (failuresExpected)
        {
            tracking = tracking.DoNotAssertOnExceptionsDetected();
        }
        return tracking.ExecuteAndWaitAsync((Func<IMessageContext, Task>)(_ => send()));
    }

    private string FileOf(BudgetLineKey line) =>
        Path.Combine(TreasuryFolder, $"{line.DivisionCode}-{BudgetLineKey.LevelName(line.Level)}-2024-03-01.csv");

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        // A deadline so that a broken build fails instead of hanging; nothing is asserted about how fast.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"still waiting for {what}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    [Fact]
    public async Task The_final_approval_writes_one_line_naming_payer_payee_amount_purpose_and_ids()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(App, XishanCounty);
        var disbursement = await RequestAsync(App, award, 123_456.7m);
        var enterprise = (await App.Enterprises.LoadAsync((await App.Awards.LoadAsync(award)).State.Award.EnterpriseId)).State!;

        var session = await TrackedAsync(() => ApproveAsync(App, award, disbursement));

        session.Executed.SingleMessage<WriteTreasuryInstruction>().DisbursementId.ShouldBe(disbursement);
        Directory.GetFiles(TreasuryFolder).Select(Path.GetFileName).ShouldBe(["320205-county-2024-03-01.csv"]);
        Lines(FileOf(XishanCounty)).ShouldBe([
            Header,
            $"320205,锡山区,county,{enterprise.Name},{enterprise.Uscc},中国工商银行测试支行,{enterprise.Name},{enterprise.BankAccount!.AccountNumber},123456.70," +
            "\"专精特新奖励资金：省级\"\"专精特新\"\"中小企业认定奖励（锡山区专精特新奖励，锡政发〔2021〕1号）\"," +
            $"{award},{disbursement},2024-03-01T10:00:00+08:00",
        ]);
    }

    [Fact]
    public async Task A_Jiaxing_award_for_a_Haiyan_enterprise_is_paid_by_two_lines_in_the_city_file_and_the_county_file()
    {
        var award = await AwardAsync(App, Jiaxing, "330424", "national-little-giant", Interlocked.Increment(ref _serial));
        await AppropriateAsync(App, JiaxingCity);
        await AppropriateAsync(App, HaiyanCounty);
        var city = await RequestAsync(App, award, 750_000m, FundingLevel.City);
        var county = await RequestAsync(App, award, 750_000m, FundingLevel.County);

        // 1,500,000 is above Jiaxing's threshold: the first approver's signature is not the final one.
        foreach (var disbursement in new[] { city, county })
        {
            var first = await TrackedAsync(() => ApproveAsync(App, award, disbursement, "approver-wang"));
            first.Sent.MessagesOf<WriteTreasuryInstruction>().ShouldBeEmpty();
        }
        Directory.Exists(TreasuryFolder).ShouldBeFalse("no approval is final yet");
        foreach (var disbursement in new[] { city, county })
        {
            await TrackedAsync(() => ApproveAsync(App, award, disbursement, "approver-zhao"));
        }

        Directory.GetFiles(TreasuryFolder).Select(Path.GetFileName).Order().ShouldBe(["330400-city-2024-03-01.csv", "330424-county-2024-03-01.csv"]);
        var cityLine = Lines(FileOf(JiaxingCity)).Skip(1).ShouldHaveSingleItem();
        var countyLine = Lines(FileOf(HaiyanCounty)).Skip(1).ShouldHaveSingleItem();
        cityLine.ShouldStartWith("330400,嘉兴市,city,");
        cityLine.ShouldContain($",750000.00,\"专精特新奖励资金：国家级专精特新\"\"小巨人\"\"认定奖励（嘉兴市专精特新奖励，嘉政发〔2022〕1号）\",{award},{city},");
        countyLine.ShouldStartWith("330424,海盐县,county,");
        countyLine.ShouldContain($",750000.00,\"专精特新奖励资金：国家级专精特新\"\"小巨人\"\"认定奖励（嘉兴市专精特新奖励，嘉政发〔2022〕1号）\",{award},{county},");
    }

    [Fact]
    public async Task An_approval_that_is_not_the_final_one_writes_nothing()
    {
        var award = await AwardAsync(App, Jiaxing, "330424", "national-little-giant", Interlocked.Increment(ref _serial));
        await AppropriateAsync(App, JiaxingCity);
        var disbursement = await RequestAsync(App, award, 100_000m, FundingLevel.City);

        var session = await TrackedAsync(() => ApproveAsync(App, award, disbursement, "approver-wang"));

        (await App.Awards.LoadAsync(award)).State.Find(disbursement)!.Status.ShouldBe(DisbursementStatus.Requested);
        session.Sent.MessagesOf<WriteTreasuryInstruction>().ShouldBeEmpty();
        _handled.Count(disbursement).ShouldBe(0);
        Directory.Exists(TreasuryFolder).ShouldBeFalse();
    }

    [Fact]
    public async Task A_historical_paper_approval_writes_nothing_though_it_reserves()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(App, XishanCounty);
        var disbursement = await RequestAsync(App, award, 100_000m);

        var session = await TrackedAsync(() => ApproveAsync(App, award, disbursement, "approver-wang", new HistoricalApproval("导入-2023-01", "importer")));

        (await App.Budgets.LoadAsync(XishanCounty)).State.Reserved.ShouldBe(Money.Of(100_000m));
        session.Sent.MessagesOf<WriteTreasuryInstruction>().ShouldBeEmpty();
        _handled.Count(disbursement).ShouldBe(0);
        Directory.Exists(TreasuryFolder).ShouldBeFalse();
    }

    [Fact]
    public async Task The_same_instruction_handled_again_leaves_one_line()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(App, XishanCounty);
        var disbursement = await RequestAsync(App, award, 100_000m);
        var instruction = (await TrackedAsync(() => ApproveAsync(App, award, disbursement))).Executed.SingleMessage<WriteTreasuryInstruction>();
        var written = await File.ReadAllBytesAsync(FileOf(XishanCounty));

        // Through Wolverine's handler, as a redelivery after a crash would run it.
        await App.Bus.InvokeAsync(instruction);
        await App.Bus.InvokeAsync(instruction);

        _handled.Count(disbursement).ShouldBe(3);
        (await File.ReadAllBytesAsync(FileOf(XishanCounty))).ShouldBe(written);
        TreasuryFile.DisbursementIds(FileOf(XishanCounty)).ShouldBe([disbursement.ToString()]);
        (await Writer.WriteAsync(instruction)).ShouldBeFalse();
    }

    [Fact]
    public async Task Lines_of_several_approvals_on_one_budget_line_and_day_share_its_file_each_once()
    {
        var awards = new[] { await XishanAwardAsync(), await XishanAwardAsync(), await XishanAwardAsync() };
        await AppropriateAsync(App, XishanCounty);
        var disbursements = new List<Guid>();
        foreach (var award in awards)
        {
            disbursements.Add(await RequestAsync(App, award, 50_000m));
        }

        await TrackedAsync(() => Task.WhenAll(awards.Zip(disbursements).Select(p => ApproveAsync(App, p.First, p.Second))));

        TreasuryFile.DisbursementIds(FileOf(XishanCounty)).Order().ShouldBe(disbursements.Select(d => d.ToString()).Order());
    }

    /// <summary>
    /// The regression: a command that lost the race for its idempotency key was answered with the winner's result, but
    /// the instruction it had published before its failed commit was still sent from memory, and handled a second time.
    /// </summary>
    [Fact]
    public async Task Approvals_raced_under_one_idempotency_key_send_one_instruction()
    {
        await using (var count = Database.Owner.CreateCommand(
            "CREATE SEQUENCE test_approvals; " +
            "CREATE FUNCTION test_count_approval() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN PERFORM nextval('test_approvals'); RETURN NEW; END $$; " +
            "CREATE TRIGGER test_approvals BEFORE INSERT ON mt_events FOR EACH ROW WHEN (NEW.type = 'disbursement-approved') EXECUTE FUNCTION test_count_approval()"))
        {
            await count.ExecuteNonQueryAsync();
        }
        var award = await XishanAwardAsync();
        await AppropriateAsync(App, XishanCounty);
        var raced = false;
        for (var trial = 0; trial < 10 && !raced; trial++)
        {
            var disbursement = await RequestAsync(App, award, 10_000m);
            var before = await ApprovalAttemptsAsync();

            await TrackedAsync(() => Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
                ApproveAsync(App, award, disbursement, key: $"approve-{trial}")))));

            _handled.Count(disbursement).ShouldBe(1, $"trial {trial}: one instruction for one approval");
            TreasuryFile.DisbursementIds(FileOf(XishanCounty)).Count(d => d == disbursement.ToString()).ShouldBe(1);
            // A loser that reached the database and rolled back is the race that used to leak its instruction.
            raced = await ApprovalAttemptsAsync() - before > 1;
        }
        raced.ShouldBeTrue("no loser ever reached the database: the race was not exercised");

        async Task<long> ApprovalAttemptsAsync()
        {
            await using var command = Database.Owner.CreateCommand("SELECT coalesce(pg_sequence_last_value('test_approvals'), 0)");
            return (long)(await command.ExecuteScalarAsync())!;
        }
    }

    [Fact]
    public async Task A_line_waits_while_another_process_holds_the_treasury_lock()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(App, XishanCounty);
        var disbursement = await RequestAsync(App, award, 100_000m);
        await using var other = await Database.Owner.OpenConnectionAsync();
        var held = await other.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({TreasuryInstructionWriter.LockKey})", other, held))
        {
            await take.ExecuteNonQueryAsync();
        }

        var approval = TrackedAsync(() => ApproveAsync(App, award, disbursement));
        await UntilAsync(async () =>
        {
            await using var waiting = Database.Owner.CreateCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid::bigint = $1 AND objsubid = 1 AND NOT granted");
            waiting.Parameters.Add(new NpgsqlParameter<long> { TypedValue = TreasuryInstructionWriter.LockKey });
            return (long)(await waiting.ExecuteScalarAsync())! == 1;
        }, "the handler to wait for the treasury lock");
        File.Exists(FileOf(XishanCounty)).ShouldBeFalse("nothing is written while another process holds the lock");
        await held.CommitAsync();

        await approval;
        TreasuryFile.DisbursementIds(FileOf(XishanCounty)).ShouldBe([disbursement.ToString()]);
    }

    [Fact]
    public async Task A_line_that_cannot_be_written_goes_to_the_dead_letters_and_is_written_once_replayed()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(App, XishanCounty);
        var disbursement = await RequestAsync(App, award, 100_000m);
        await File.WriteAllTextAsync(TreasuryFolder, "a file where the treasury folder should be");

        var session = await TrackedAsync(() => ApproveAsync(App, award, disbursement), failuresExpected: true);

        session.MovedToErrorQueue.SingleMessage<WriteTreasuryInstruction>().DisbursementId.ShouldBe(disbursement);
        _handled.Count(disbursement).ShouldBe(4, "the first attempt and three retries");
        TreasuryOutboxReport outbox = null!;
        await UntilAsync(async () => (outbox = await TreasuryOutbox.ReadAsync(App.Store.DataSource)).DeadLetters.Count == 1, "the dead letter to be stored");
        var dead = outbox.DeadLetters.Single();
        (dead.MessageType, dead.DisbursementId, dead.ExceptionType).ShouldBe((WriteTreasuryInstruction.MessageTypeName, disbursement, typeof(IOException).FullName));
        outbox.Waiting.ShouldBe(0);

        // The operator moves the file away and replays the dead letter.
        File.Delete(TreasuryFolder);
        await using (var replay = App.Store.DataSource.CreateCommand("UPDATE wolverine_dead_letters SET replayable = true WHERE id = $1"))
        {
            replay.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = dead.Id });
            await replay.ExecuteNonQueryAsync();
        }
        await UntilAsync(async () =>
        {
            var now = await TreasuryOutbox.ReadAsync(App.Store.DataSource);
            return now.DeadLetters.Count == 0 && now.Waiting == 0 && _handled.Count(disbursement) == 5;
        }, "the replayed instruction to be handled");
        TreasuryFile.DisbursementIds(FileOf(XishanCounty)).ShouldBe([disbursement.ToString()]);
    }

    /// <summary>Counts how often each disbursement's instruction reached its handler; stops nothing.</summary>
    private sealed class Handled : ITreasuryFaultPoints
    {
        private readonly ConcurrentDictionary<Guid, int> _counts = new();

        public int Count(Guid disbursement) => _counts.GetValueOrDefault(disbursement);

        public ValueTask AfterCommitAsync(WriteTreasuryInstruction instruction)
        {
            _counts.AddOrUpdate(instruction.DisbursementId, 1, (_, n) => n + 1);
            return ValueTask.CompletedTask;
        }

        public ValueTask AfterWriteAsync(WriteTreasuryInstruction instruction) => ValueTask.CompletedTask;
    }
}
