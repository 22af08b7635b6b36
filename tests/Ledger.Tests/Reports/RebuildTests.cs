using Ledger.ReadModels;
using Ledger.Reports;
using Ledger.Tests.Support;
using Npgsql;

namespace Ledger.Tests.Reports;

/// <summary>
/// Rebuilding the read tables from the events gives the tables the inline projections kept, row for row — also while
/// writers carry on, whose commits during the rebuild are caught up under the chain's lock before the swap.
/// </summary>
public sealed class RebuildTests : LedgerFixture
{
    private ReadModelRebuild Rebuild => new(Database.Owner, LedgerApp.EventTypes, ReadProjections.All);

    private async Task<long> EventCountAsync()
    {
        await using var command = Database.Owner.CreateCommand("SELECT count(*) FROM mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_rebuild_during_concurrent_writes_equals_the_inline_tables_row_for_row()
    {
        Clock.Reset(ConcurrentHistory.Today);
        var history = await ConcurrentHistory.SetUpAsync(App, writers: 4);
        var count = 0L;
        await history.RunAsync(seed: 11, () => Interlocked.Read(ref count) >= 10_000 || (Interlocked.Exchange(ref count, EventCountAsync().Result) >= 10_000));
        var events = await EventCountAsync();
        events.ShouldBeGreaterThanOrEqualTo(10_000);
        var kinds = await KindsAsync();
        foreach (var kind in new[] { "disbursement-returned", "clawback-demanded", "clawback-repaid", "award-redetermined", "award-cancelled", "disbursement-rejected" })
        {
            kinds.GetValueOrDefault(kind).ShouldBeGreaterThan(0, $"the history has no {kind}");
        }
        (await DualApprovalsAsync()).ShouldBeGreaterThan(0, "no disbursement needed two approvers");
        var quiet = await Rebuild.RunAsync();
        quiet.Events.ShouldBe(events);
        quiet.Tables.Where(t => !t.Identical).ShouldBeEmpty();
        quiet.Tables.Single(t => t.Table == "award_movements").Rows.ShouldBeGreaterThan(1000);

        // Writers carry on during a second rebuild, and readers keep answering.
        var rebuilding = true;
        var writing = history.RunAsync(seed: 12, () => !Volatile.Read(ref rebuilding));
        var reads = 0;
        var reading = Task.Run(async () =>
        {
            while (Volatile.Read(ref rebuilding))
            {
                (await App.Reports.TotalsAsync(new TotalsQuery(2024))).Total.ShouldBeGreaterThan(Money.Zero);
                reads++;
            }
        });
        await Task.Delay(300);
        var busy = await Rebuild.RunAsync();
        Volatile.Write(ref rebuilding, false);
        await Task.WhenAll(writing, reading);

        busy.CaughtUp.ShouldBeGreaterThan(0, "no command committed while the rebuild replayed: the test raced nothing");
        busy.Tables.Where(t => !t.Identical).ShouldBeEmpty();
        reads.ShouldBeGreaterThan(0);
        // After the swap the inline projections wrote into the rebuilt tables: one more rebuild still finds them equal.
        var after = await Rebuild.RunAsync();
        after.Tables.Where(t => !t.Identical).ShouldBeEmpty();
        after.Events.ShouldBe(await EventCountAsync());
        (await App.Store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task A_rebuild_finds_a_read_row_the_events_do_not_justify_and_replaces_the_table()
    {
        Clock.Reset(ConcurrentHistory.Today);
        var history = await ConcurrentHistory.SetUpAsync(App, writers: 1);
        var enterprises = 0;
        await history.RunAsync(seed: 3, () => Interlocked.Increment(ref enterprises) > 3);
        await using (var command = Database.Owner.CreateCommand("UPDATE annual_totals SET paid = paid + 0.01 WHERE paid > 0 AND ctid = (SELECT min(ctid) FROM annual_totals WHERE paid > 0)"))
        {
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var result = await Rebuild.RunAsync();

        result.Tables.Single(t => t.Table == "annual_totals").ShouldSatisfyAllConditions(t => t.Missing.ShouldBe(1), t => t.Extra.ShouldBe(1));
        result.Tables.Where(t => t.Table != "annual_totals").ShouldAllBe(t => t.Identical);
        (await Rebuild.RunAsync()).Identical.ShouldBeTrue();
    }

    [Fact]
    public async Task Every_read_table_the_projections_write_has_the_columns_and_key_the_database_has()
    {
        foreach (var table in ReadTables.All)
        {
            var columns = new List<string>();
            await using (var command = Database.Owner.CreateCommand(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    columns.Add(reader.GetString(0));
                }
            }
            columns.ShouldBe(table.Columns.Select(c => c.Name).ToList(), table.Name);
            await using (var command = Database.Owner.CreateCommand(
                "SELECT array_agg(a.attname ORDER BY k.ord) FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) " +
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = ('public.' || $1)::regclass AND i.indisprimary"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
                ((string[])(await command.ExecuteScalarAsync())!).ShouldBe(table.Key.Select(c => c.Name).ToArray(), table.Name);
            }
        }
    }

    private async Task<long> DualApprovalsAsync()
    {
        await using var command = Database.Owner.CreateCommand("SELECT count(*) FROM disbursements WHERE approvals = 2");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Dictionary<string, long>> KindsAsync()
    {
        var kinds = new Dictionary<string, long>();
        await using var command = Database.Owner.CreateCommand("SELECT type, count(*) FROM mt_events GROUP BY type");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            kinds[reader.GetString(0)] = reader.GetInt64(1);
        }
        return kinds;
    }
}
