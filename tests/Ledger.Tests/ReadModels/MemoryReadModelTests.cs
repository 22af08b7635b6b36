using Ledger.ReadModels;
using NpgsqlTypes;

namespace Ledger.Tests.ReadModels;

/// <summary>The in-memory side of the read-model writer changes rows as its SQL would.</summary>
public sealed class MemoryReadModelTests
{
    private static readonly ReadTable Counts = new("counts", 1,
        new ReadColumn("id", NpgsqlDbType.Uuid), new ReadColumn("approvals", NpgsqlDbType.Integer, 0), new ReadColumn("amount", NpgsqlDbType.Numeric, 0m),
        new ReadColumn("status", NpgsqlDbType.Text));

    private static readonly ReadTable Owners = new("owners", 1, new ReadColumn("id", NpgsqlDbType.Uuid), new ReadColumn("county", NpgsqlDbType.Text));

    [Fact]
    public void Increments_keep_each_column_s_type_through_repeated_additions()
    {
        var model = new MemoryReadModel([Counts]);
        var id = Guid.NewGuid();
        model.Insert(Counts, id, 0, 0m, "requested");

        model.Increment(Counts, [id], new Delta("approvals", 1));
        model.Increment(Counts, [id], new Delta("approvals", 1), new Delta("amount", 0.5m));
        model.Add(Counts, [id], new Delta("amount", 0.25m));

        var row = Row(model, id);
        row[1].ShouldBeOfType<int>().ShouldBe(2);
        row[2].ShouldBeOfType<decimal>().ShouldBe(0.75m);
    }

    [Fact]
    public void Lookups_read_the_other_table_and_missing_rows_make_updates_do_nothing_as_in_SQL()
    {
        var model = new MemoryReadModel([Owners, Counts]);
        var owner = Guid.NewGuid();
        model.Insert(Owners, owner, "320205");
        var id = Guid.NewGuid();
        model.Add(Counts, [id], new Delta("approvals", 3));
        model.Update(Counts, [id], new Assignment("status", new Lookup(Owners, owner, "county")));
        model.Update(Counts, [Guid.NewGuid()], new Assignment("status", "nobody"));
        model.Increment(Counts, [Guid.NewGuid()], new Delta("approvals", 1));

        model.RowCount(Counts).ShouldBe(1);
        Row(model, id).ShouldBe([id, 3, 0m, "320205"]);
        Should.Throw<InvalidOperationException>(() => model.Insert(Owners, owner, "330424")).Message.ShouldContain("exists already");
    }

    private static IReadOnlyList<object?> Row(MemoryReadModel model, Guid id) => model.RowsOf(Counts).Single(row => Equals(row[0], id));
}
