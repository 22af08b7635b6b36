using Ledger.Budgets;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Testing;
using Ledger.Tests.Reference;
using Ledger.Treasury;
using NodaTime.Testing;
using NodaTime.Text;
using Npgsql;
using Wolverine;
using Wolverine.Tracking;
using static Ledger.Tests.Treasury.TreasuryScenario;

namespace Ledger.Tests.Treasury;

/// <summary>
/// Exactly once across crashes, with real processes: a <c>ledger</c> child (tests/Ledger.CrashHost) approves a
/// disbursement and is killed with SIGKILL at a fault point it has proven it reached; a second child started normally
/// on the same database and treasury folder finishes the work. No line may be missing, none written twice.
/// </summary>
public sealed class TreasuryCrashTests : IAsyncLifetime
{
    private static readonly BudgetLineKey XishanCounty = new("320205", 2024, FundingLevel.County);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-treasury-crash-{Guid.NewGuid():N}");
    private string _connection = null!;
    private LedgerDatabase _db = null!;
    private Guid _award;
    private Guid _first;
    private Guid _second;

    private string File => Path.Combine(_folder, "320205-county-2024-03-01.csv");

    /// <summary>
    /// In this process: an award, a budget, two requests, the first approved and its line written; then this ledger
    /// stops, so that only the children run Wolverine on the database.
    /// </summary>
    public async Task InitializeAsync()
    {
        _connection = await TestPostgres.ConnectionStringAsync(await TestPostgres.CreateEmptyDatabaseAsync(TestPostgres.Template));
        _db = await LedgerDatabase.OpenAsync(_connection);
        await using var app = await LedgerApp.StartAsync(_db, ShippedReferenceData.Instance, new LedgerAppOptions { Clock = new FakeClock(Now), TreasuryFolder = _folder });
        _award = await AwardAsync(app, Xishan, "320205", "provincial-srdi", 1);
        await AppropriateAsync(app, XishanCounty);
        _first = await RequestAsync(app, _award, 100_000m);
        _second = await RequestAsync(app, _award, 50_000m);
        await app.Host.TrackActivity().Timeout(TimeSpan.FromMinutes(1))
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(_ => ApproveAsync(app, _award, _first)));
        TreasuryFile.DisbursementIds(File).ShouldBe([_first.ToString()]);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private CrashHostProcess ApproveSecondStoppingAt(string fault) => CrashHostProcess.Start(
        "approve", "--db", _connection, "--treasury", _folder, "--award", _award.ToString(), "--disbursement", _second.ToString(),
        "--at", InstantPattern.ExtendedIso.Format(Now), "--fault", fault);

    /// <summary>A child started normally: it recovers what the killed one left and exits once nothing waits.</summary>
    private async Task DrainAsync()
    {
        await using var drain = CrashHostProcess.Start("drain", "--db", _connection, "--treasury", _folder);
        (await drain.WaitForExitAsync()).ShouldBe(0, drain.Output);
        drain.Output.ShouldContain("drained");
    }

    private async Task<string?> StatusOfSecondAsync()
    {
        await using var command = _db.App.CreateCommand("SELECT status FROM disbursements WHERE disbursement_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = _second });
        return (string?)await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Killed_after_the_approval_committed_and_before_its_line_was_written_the_line_is_written_after_restart()
    {
        await using (var child = ApproveSecondStoppingAt("after-commit"))
        {
            await child.WaitForLineAsync($"fault after-commit {_second}");
            (await child.KillAsync()).ShouldBe(128 + 9, "killed by SIGKILL");
        }

        // The approval is committed, its instruction stored and waiting, its line not written.
        (await StatusOfSecondAsync()).ShouldBe("approved");
        (await TreasuryOutbox.ReadAsync(_db.App)).WaitingIncoming.ShouldBe(1);
        TreasuryFile.DisbursementIds(File).ShouldBe([_first.ToString()]);

        await DrainAsync();

        TreasuryFile.DisbursementIds(File).ShouldBe([_first.ToString(), _second.ToString()]);
        Lines(File).Count.ShouldBe(3, "the header and two lines");
        var outbox = await TreasuryOutbox.ReadAsync(_db.App);
        (outbox.Waiting, outbox.DeadLetters.Count).ShouldBe((0, 0));
    }

    [Fact]
    public async Task Killed_after_the_line_was_written_and_before_Wolverine_recorded_it_handled_the_line_is_not_written_again()
    {
        await using (var child = ApproveSecondStoppingAt("after-write"))
        {
            await child.WaitForLineAsync($"fault after-write {_second}");
            (await child.KillAsync()).ShouldBe(128 + 9, "killed by SIGKILL");
        }

        // The line is on disk, but the message is not recorded as handled: it will run again.
        TreasuryFile.DisbursementIds(File).ShouldBe([_first.ToString(), _second.ToString()]);
        (await TreasuryOutbox.ReadAsync(_db.App)).WaitingIncoming.ShouldBe(1);
        var written = await System.IO.File.ReadAllBytesAsync(File);

        await DrainAsync();

        (await System.IO.File.ReadAllBytesAsync(File)).ShouldBe(written);
        TreasuryFile.DisbursementIds(File).ShouldBe([_first.ToString(), _second.ToString()]);
        var outbox = await TreasuryOutbox.ReadAsync(_db.App);
        (outbox.Waiting, outbox.DeadLetters.Count).ShouldBe((0, 0));
    }
}
