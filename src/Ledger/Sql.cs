using Npgsql;
using NodaTime;

namespace Ledger;

/// <summary>Small helpers for inline projections' SQL.</summary>
internal static class Sql
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
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
}

/// <summary>The stored (JSON) name of an enum value, e.g. <c>renewal-failed</c>, so read tables speak as the events do.</summary>
internal static class StoredName
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(value, Ledger.EventStore.Serialization.LedgerJson.Options).Trim('"');
}
