using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Npgsql;

namespace Ledger.Api;

/// <summary>Who read which enterprise history or event page, and when (<c>api_read_log</c>, append-only; not events, so reading never moves the chain).</summary>
public static class ReadLog
{
    /// <summary>Records a read; returns once its entry committed (<see cref="ReadLogWriter"/> commits concurrent reads' entries together).</summary>
    public static Task RecordAsync(LedgerApp app, ApiUser user, string resource, string detail, CancellationToken cancellationToken)
    {
        // The ledger's clock, as for every other instant it records (not the database's now()).
        var at = app.Host.Services.GetRequiredService<IClock>().GetCurrentInstant();
        return app.Host.Services.GetRequiredService<ReadLogWriter>().RecordAsync(new ReadLogRow(at, user.Name, user.Role, resource, detail), cancellationToken);
    }

    public static async Task<IReadOnlyList<ReadLogEntry>> ListAsync(LedgerApp app, long from, int limit, CancellationToken cancellationToken)
    {
        await using var command = app.Store.DataSource.CreateCommand(
            "SELECT entry_id, read_at, user_name, role, resource, detail FROM api_read_log WHERE entry_id >= $1 ORDER BY entry_id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var entries = new List<ReadLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ReadLogEntry(reader.GetInt64(0), InstantPattern.ExtendedIso.Format(Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(1))),
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }
        return entries;
    }
}
