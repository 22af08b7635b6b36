using System.Text.RegularExpressions;
using Marten;
using Npgsql;
using NodaTime;

namespace Ledger;

/// <summary>Small helpers for the read models' SQL.</summary>
internal static partial class Sql
{
    /// <summary>
    /// Queues a statement in the session's transaction (projections, idempotency records). The SQL numbers its
    /// parameters ($1, $2, … in any order, reused freely); Marten takes them positionally, so each $n becomes a
    /// placeholder bound to its value.
    /// </summary>
    public static void Queue(IDocumentOperations operations, string sql, params object?[] parameters)
    {
        var (positional, order) = Positional.GetOrAdd(sql, ToPositional);
        operations.QueueSqlCommand(positional, [.. order.Select(i => parameters[i] ?? DBNull.Value)]);
    }

    // The projections' statements are constants: each is converted once per process, not once per event.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Sql, int[] Order)> Positional = new();

    private static (string, int[]) ToPositional(string sql)
    {
        var order = new List<int>();
        var positional = Parameter().Replace(sql, m =>
        {
            order.Add(int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) - 1);
            return "?";
        });
        return (positional, [.. order]);
    }

    /// <summary>The first column of every row, as ids (the index queries handlers run to find streams).</summary>
    public static async Task<IReadOnlyList<Guid>> IdsAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var ids = new List<Guid>();
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    public static DateOnly Date(LocalDate date) => date.ToDateOnly();

    public static object DateOrNull(LocalDate? date) => date is { } d ? d.ToDateOnly() : DBNull.Value;

    public static LocalDate ToLocalDate(DateOnly date) => LocalDate.FromDateOnly(date);

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Parameter();
}

/// <summary>The stored (JSON) name of an enum value, e.g. <c>renewal-failed</c>, so read tables speak as the events do.</summary>
internal static class StoredName
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(value, Ledger.EventStore.Serialization.LedgerJson.Options).Trim('"');
}
