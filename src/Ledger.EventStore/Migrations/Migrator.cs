using Npgsql;

namespace Ledger.EventStore.Migrations;

/// <summary>
/// Applies numbered SQL files once each, in order, each in its own transaction, and records a
/// checksum for each: a file edited after it was applied is refused by name. Runs on the owner
/// connection, under an advisory lock so two processes never migrate one database at once.
/// </summary>
public sealed class Migrator(NpgsqlDataSource ownerDataSource)
{
    private const long MigrationLock = 7250430;

    // The first migration of the event store the ledger had before Marten; its data cannot be carried over.
    private const string EarlierEventStoreMigration = "0001_event_store.sql";

    /// <summary>Applies what is missing; returns the migrations applied now.</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        migrations = Migration.Ordered(migrations);
        await using var connection = await ownerDataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock($1)", cancellationToken, MigrationLock);
        try
        {
            await ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, file_name text NOT NULL, " +
                "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            var applied = await AppliedAsync(connection, cancellationToken);
            if (applied.Values.Any(a => a.FileName == EarlierEventStoreMigration))
            {
                throw new MigrationException("this database was made by the ledger's earlier event store, before it moved onto Marten; start afresh with a new data folder or database (README: Starting afresh; docs/operations.md).");
            }

            foreach (var (version, (fileName, checksum)) in applied)
            {
                var file = migrations.FirstOrDefault(m => m.Version == version);
                if (file is null)
                {
                    throw new MigrationException($"the database has migration {version} ('{fileName}') applied, which this program does not have: it is older than the database.");
                }
                if (file.Checksum != checksum)
                {
                    throw new MigrationException($"migration '{file.FileName}' was changed after it was applied (checksum {checksum[..12]}… in the database, {file.Checksum[..12]}… now). Applied migrations are never edited: add a new numbered file instead.");
                }
            }

            var done = new List<Migration>();
            foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                }
                catch (PostgresException e)
                {
                    throw new MigrationException($"migration '{migration.FileName}' failed: {e.MessageText} (SQLSTATE {e.SqlState}{(e.Line is null ? "" : $", line {e.Line}")})", e);
                }
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1, $2, $3)", cancellationToken,
                    migration.Version, migration.FileName, migration.Checksum);
                await transaction.CommitAsync(cancellationToken);
                done.Add(migration);
            }
            return done;
        }
        finally
        {
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock($1)", CancellationToken.None, MigrationLock);
        }
    }

    private static async Task<SortedDictionary<int, (string FileName, string Checksum)>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new SortedDictionary<int, (string, string)>();
        await using var command = new NpgsqlCommand("SELECT version, file_name, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
