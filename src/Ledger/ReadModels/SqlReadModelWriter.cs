using System.Collections.Concurrent;
using System.Text;

namespace Ledger.ReadModels;

/// <summary>
/// Turns each write into one SQL statement handed to <see cref="_queue"/> (inline: queued in the appending Marten
/// session; catch-up after a rebuild: a batch on the rebuild's connection). Increments are atomic upserts
/// (<c>ON CONFLICT … DO UPDATE SET x = t.x + excluded.x</c>), so concurrent commands never lose one another's update;
/// lookups are scalar sub-selects evaluated in the same transaction.
/// </summary>
public sealed class SqlReadModelWriter(Action<string, object?[]> queue) : IReadModelWriter
{
    private static readonly ConcurrentDictionary<string, string> Statements = new(StringComparer.Ordinal);
    private readonly Action<string, object?[]> _queue = queue;

    public void Insert(ReadTable table, params object?[] values) => Upsert(table, values);

    public void Upsert(ReadTable table, object?[] values, params string[] updateColumns)
    {
        Check(table, values.Length == table.Columns.Count, "a value for every column");
        var shape = Shape('I', table, values, updateColumns);
        var sql = Statements.GetOrAdd(shape, _ =>
        {
            var text = new StringBuilder($"INSERT INTO {table.Name} (");
            text.AppendJoin(", ", table.Columns.Select(c => c.Name)).Append(") VALUES (");
            AppendValues(text, values, 1);
            text.Append(')');
            if (updateColumns.Length > 0)
            {
                text.Append(" ON CONFLICT (").AppendJoin(", ", table.Key.Select(c => c.Name)).Append(") DO UPDATE SET ")
                    .AppendJoin(", ", updateColumns.Select(c => $"{table.Columns[table.Ordinal(c)].Name} = excluded.{c}"));
            }
            return text.ToString();
        });
        _queue(sql, Parameters(values));
    }

    public void Update(ReadTable table, object?[] key, params Assignment[] assignments)
    {
        Check(table, key.Length == table.KeyCount, "the whole key");
        var values = assignments.Select(a => a.Value).Concat(key).ToArray();
        var shape = Shape('U', table, values, [.. assignments.Select(a => a.Column)]);
        var sql = Statements.GetOrAdd(shape, _ =>
        {
            var text = new StringBuilder($"UPDATE {table.Name} SET ");
            for (var i = 0; i < assignments.Length; i++)
            {
                text.Append(i == 0 ? "" : ", ").Append(table.Columns[table.Ordinal(assignments[i].Column)].Name).Append(" = ");
                AppendValue(text, values[i], i + 1, assignments[i].Column);
            }
            text.Append(" WHERE ");
            var keys = table.Key.ToList();
            for (var k = 0; k < keys.Count; k++)
            {
                text.Append(k == 0 ? "" : " AND ").Append(keys[k].Name).Append(" = ");
                AppendValue(text, values[assignments.Length + k], assignments.Length + k + 1);
            }
            return text.ToString();
        });
        _queue(sql, Parameters(values));
    }

    public void Increment(ReadTable table, object?[] key, params Delta[] deltas) =>
        Update(table, key, [.. deltas.Select(d => new Assignment(d.Column, new Increase(d.Amount)))]);

    public void Add(ReadTable table, object?[] key, params Delta[] deltas)
    {
        Check(table, key.Length == table.KeyCount, "the whole key");
        var values = key.Concat(deltas.Select(d => d.Amount)).ToArray();
        var shape = Shape('A', table, values, [.. deltas.Select(d => d.Column)]);
        var sql = Statements.GetOrAdd(shape, _ =>
        {
            var columns = table.Key.Select(c => c.Name).Concat(deltas.Select(d => table.Columns[table.Ordinal(d.Column)].Name)).ToList();
            var text = new StringBuilder($"INSERT INTO {table.Name} AS t (").AppendJoin(", ", columns).Append(") VALUES (");
            AppendValues(text, values, 1);
            text.Append(") ON CONFLICT (").AppendJoin(", ", table.Key.Select(c => c.Name)).Append(") DO UPDATE SET ")
                .AppendJoin(", ", deltas.Select(d => $"{d.Column} = t.{d.Column} + excluded.{d.Column}"));
            return text.ToString();
        });
        _queue(sql, Parameters(values));
    }

    private static void Check(ReadTable table, bool condition, string what)
    {
        if (!condition)
        {
            throw new ArgumentException($"A write to {table.Name} must give {what}.");
        }
    }

    /// <summary>What decides the statement's text: operation, table, columns and where the lookups are.</summary>
    private static string Shape(char operation, ReadTable table, object?[] values, string[] columns)
    {
        var shape = new StringBuilder().Append(operation).Append('|').Append(table.Name).Append('|').AppendJoin(',', columns);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is Lookup lookup)
            {
                shape.Append('|').Append(i).Append(':').Append(lookup.Table.Name).Append('.').Append(lookup.Column);
            }
            else if (values[i] is Increase)
            {
                shape.Append('|').Append(i).Append(":+");
            }
        }
        return shape.ToString();
    }

    private static void AppendValues(StringBuilder text, object?[] values, int first)
    {
        for (var i = 0; i < values.Length; i++)
        {
            text.Append(i == 0 ? "" : ", ");
            AppendValue(text, values[i], first + i);
        }
    }

    /// <summary>An assignment's value added to the column's own (<c>x = x + $n</c>).</summary>
    private sealed record Increase(object Amount);

    private static void AppendValue(StringBuilder text, object? value, int parameter, string? column = null)
    {
        if (value is Increase)
        {
            text.Append($"{column} + ${parameter}");
        }
        else if (value is Lookup lookup)
        {
            lookup.Table.Ordinal(lookup.Column);
            text.Append($"(SELECT {lookup.Column} FROM {lookup.Table.Name} WHERE {lookup.Table.Columns[0].Name} = ${parameter})");
        }
        else
        {
            text.Append('$').Append(parameter);
        }
    }

    private static object?[] Parameters(object?[] values) =>
        [.. values.Select(v => v switch { Lookup lookup => lookup.Key, Increase increase => increase.Amount, _ => v })];
}
