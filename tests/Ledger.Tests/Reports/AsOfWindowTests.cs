using Ledger.Policies;
using Ledger.Reports;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using Npgsql;
using NodaTime;

namespace Ledger.Tests.Reports;

/// <summary>
/// The window where an as-of answer could change: a transaction linked into the chain at or before the instant asked
/// about, whose commit is still in flight when the question is asked. A deferred trigger of the test's own, firing after
/// the chain's, holds the committing transaction right after its link (chained_at ≤ T) until the test lets it go.
/// </summary>
public sealed class AsOfWindowTests : LedgerFixture
{
    private const long Gate = 4242;

    [Fact]
    public async Task An_answer_as_of_an_instant_includes_a_commit_linked_by_then_and_never_changes_afterwards()
    {
        await App.SendAsync(new IssueAwardPolicy(TestReference.Xishan, "无锡市锡山区", TestPolicies.XishanDraft, "admin", Now), As("admin", "admin"));
        var enterprise = await RegisterAsync(TestReference.Xishan);
        await using var gate = await Database.Owner.OpenConnectionAsync();
        await ExecuteAsync(gate,
            $"CREATE FUNCTION test_stall_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock({Gate}); RETURN NULL; END $$",
            "CREATE CONSTRAINT TRIGGER zz_test_stall AFTER INSERT ON mt_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_stall_commit()",
            $"SELECT pg_advisory_lock({Gate})");
        try
        {
            var recognition = ImportRecognitionAsync(enterprise, "provincial-srdi", new LocalDate(2024, 1, 10));
            // The command has linked its events (the chain's trigger fires before ours) and waits at our gate, uncommitted.
            await WaitUntilAsync(gate, $"SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND objid = {Gate} AND NOT granted");
            var asOf = SystemClock.Instance.GetCurrentInstant();
            var query = new TotalsQuery(2024, TestReference.Xishan, Basis: TotalsBasis.Determined, AsOf: asOf);

            var during = App.Reports.TotalsAsync(query);
            await WaitUntilAsync(gate, "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ShareLock' AND NOT granted");
            during.IsCompleted.ShouldBeFalse("the as-of read must wait for the transaction linked before its instant");
            await ExecuteAsync(gate, $"SELECT pg_advisory_unlock({Gate})");
            await recognition;

            var first = await during;
            first.Total.ShouldBe(Money.Of(300_000m));
            await ImportRecognitionAsync(await RegisterAsync(TestReference.Xishan), "municipal-srdi", new LocalDate(2024, 3, 1));
            var again = await App.Reports.TotalsAsync(query);
            (again.Point, again.Amounts).ShouldBe((first.Point, first.Amounts));
            again.Rows.ShouldBe(first.Rows);
            (await App.Reports.TotalsAsync(query with { AsOf = null })).Total.ShouldBe(Money.Of(400_000m));
        }
        finally
        {
            await ExecuteAsync(gate, "DROP TRIGGER zz_test_stall ON mt_events", "DROP FUNCTION test_stall_commit()");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, params string[] statements)
    {
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task WaitUntilAsync(NpgsqlConnection connection, string condition)
    {
        for (var i = 0; i < 500; i++)
        {
            await using var command = new NpgsqlCommand(condition, connection);
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                return;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"never true: {condition}");
    }
}
