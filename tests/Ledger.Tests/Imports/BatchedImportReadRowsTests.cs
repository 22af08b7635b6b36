using Ledger.Imports;
using Ledger.Imports.Generation;
using Ledger.ReadModels;
using Ledger.Testing;
using Ledger.Tests.Reference;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Imports;

/// <summary>
/// A batched import writes each commit's read rows set-based (docs/decisions.md, "Commands and imports"): the tables must
/// end exactly as the inline projection leaves them, statement by statement, for the same events — and as a rebuild
/// from those events makes them.
/// </summary>
public sealed class BatchedImportReadRowsTests : LedgerFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-bulk-rows-{Guid.NewGuid():N}");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private Importer Batched(LedgerApp app, bool inBulk) => new(app.Store, app.Reference, app.Figures.Measures, LedgerApp.DefaultApprovals, Clock, app.Bus)
    {
        SingleTransactionRows = 50,
        EnterprisesPerGroup = 40,
        EventsPerCommit = 150,
        WritesInBulk = inBulk,
    };

    private static async Task<List<string>> TextRowsAsync(LedgerApp app, string sql)
    {
        await using var command = app.Store.DataSource.CreateCommand(sql);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>A table's rows as text in one order; an event is named by its stream and version, the same in both ledgers (its id is not).</summary>
    private static Task<List<string>> RowsAsync(LedgerApp app, ReadTable table)
    {
        var columns = table.Columns.Select(c => c.Name == "event_id" ? "e.stream_id::text || '@' || e.version" : $"t.{c.Name}");
        var join = table.Columns.Any(c => c.Name == "event_id") ? " JOIN mt_events e ON e.id = t.event_id" : "";
        return TextRowsAsync(app, $"SELECT ROW({string.Join(", ", columns)})::text FROM {table.Name} t{join}");
    }

    [Fact]
    public async Task A_batched_import_writes_in_bulk_exactly_the_read_rows_the_inline_projection_writes()
    {
        Clock.Reset(Instant.FromUtc(2026, 11, 30, 2, 0));
        new ImportGenerator(ShippedReferenceData.Instance, 7).Write(_folder, 400);
        await using var inlineDatabase = await TestPostgres.CreateDatabaseAsync();
        await using var inlineApp = await LedgerApp.StartAsync(inlineDatabase, ShippedReferenceData.Instance, AppOptions);

        var bulk = await Batched(App, inBulk: true).ImportAsync(_folder, As("county-finance"));
        var inline = await Batched(inlineApp, inBulk: false).ImportAsync(_folder, As("county-finance"));

        // Many commits, so later ones change and look up rows that earlier ones wrote (awards paid, designations renewed,
        // budget lines every group pays from, the import's own row).
        bulk.Commits.ShouldBeGreaterThan(20);
        (bulk.NewEvents, bulk.Commits).ShouldBe((inline.NewEvents, inline.Commits));
        foreach (var table in ReadTables.All)
        {
            var expected = await RowsAsync(inlineApp, table);
            var actual = await RowsAsync(App, table);
            if (table != ReadTables.PublishedFigures)
            {
                expected.ShouldNotBeEmpty($"the import wrote no {table.Name}: the comparison proves nothing there");
            }
            actual.Count.ShouldBe(expected.Count, $"{table.Name}: rows");
            actual.Except(expected).Take(3).ShouldBeEmpty($"{table.Name}: rows the inline projection did not write");
            actual.ShouldBe(expected, $"{table.Name}: rows differ");
        }
        (await RowsAsync(App, ReadTables.Imports)).ShouldHaveSingleItem().ShouldContain("finished");
        var status = await RowsAsync(App, ReadTables.Disbursements);
        status.ShouldContain(r => r.Contains(",returned,", StringComparison.Ordinal), "no bank return: the rows looked up from a paid disbursement went untested");

        // The events and streams too, as Marten writes them (an event's id and timestamp are its own).
        const string events = "SELECT ROW(stream_id, version, data, bdata, type, tenant_id, mt_dotnet_type, causation_id, correlation_id, headers, user_name, is_archived)::text " +
            "FROM mt_events";
        const string streams = "SELECT ROW(id, type, version, tenant_id, compacted_version, is_archived)::text FROM mt_streams";
        var expectedEvents = await TextRowsAsync(inlineApp, events);
        expectedEvents.Count.ShouldBeGreaterThanOrEqualTo(inline.NewEvents);
        (await TextRowsAsync(App, events)).ShouldBe(expectedEvents);
        (await TextRowsAsync(App, streams)).ShouldBe(await TextRowsAsync(inlineApp, streams));
        var verified = await App.Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);

        var rebuilt = await new ReadModelRebuild(Database.Owner, LedgerApp.EventTypes, ReadProjections.All).RunAsync();
        rebuilt.Tables.Where(t => !t.Identical).ShouldBeEmpty();
    }
}
