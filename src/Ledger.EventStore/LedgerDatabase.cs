using Ledger.EventStore.Embedded;
using Ledger.EventStore.Migrations;
using Npgsql;

namespace Ledger.EventStore;

/// <summary>Where the ledger's database is.</summary>
public sealed record LedgerDatabaseOptions
{
    /// <summary>Owner connection string (<c>LEDGER_DB</c>). Null: start the embedded PostgreSQL.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Optional separate application login (<c>LEDGER_APP_DB</c>); else the owner connection with <c>SET ROLE ledger_app</c>.</summary>
    public string? AppConnectionString { get; init; }

    /// <summary>Options for the embedded server when no connection string is given.</summary>
    public EmbeddedPostgresOptions Embedded { get; init; } = new();

    /// <summary>Database name on the embedded server.</summary>
    public string EmbeddedDatabase { get; init; } = "ledger";

    /// <summary>Reads <c>LEDGER_DB</c>, <c>LEDGER_APP_DB</c> and <c>LEDGER_DATA</c> (the embedded data folder).</summary>
    public static LedgerDatabaseOptions FromEnvironment() => new()
    {
        ConnectionString = NullIfEmpty(Environment.GetEnvironmentVariable("LEDGER_DB")),
        AppConnectionString = NullIfEmpty(Environment.GetEnvironmentVariable("LEDGER_APP_DB")),
        Embedded = new EmbeddedPostgresOptions { DataRoot = NullIfEmpty(Environment.GetEnvironmentVariable("LEDGER_DATA")) },
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>
/// The ledger's database, opened and migrated: the owner data source (migrations), the application
/// data source (role <c>ledger_app</c>, which cannot change or remove events) and, when no server was
/// configured, the embedded PostgreSQL it started. Disposing stops what it started.
/// </summary>
public sealed class LedgerDatabase : IAsyncDisposable
{
    private LedgerDatabase(NpgsqlDataSource owner, NpgsqlDataSource app, EmbeddedPostgres? server, string description)
    {
        Owner = owner;
        App = app;
        Server = server;
        Description = description;
    }

    /// <summary>Owner connections: migrations and administration.</summary>
    public NpgsqlDataSource Owner { get; }

    /// <summary>Application connections, running as <c>ledger_app</c>.</summary>
    public NpgsqlDataSource App { get; }

    /// <summary>The embedded server, when this process started one.</summary>
    public EmbeddedPostgres? Server { get; }

    /// <summary>Host, port and database, for messages (never the password).</summary>
    public string Description { get; }

    /// <summary>Opens (starting the embedded server if needed), applies pending migrations and checks the application role.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="migrate">False for commands that only read (verify): they apply nothing and need no owner rights beyond connecting.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    public static async Task<LedgerDatabase> OpenAsync(LedgerDatabaseOptions options, bool migrate = true, CancellationToken cancellationToken = default)
    {
        EmbeddedPostgres? server = null;
        string ownerConnection;
        if (options.ConnectionString is { } configured)
        {
            ownerConnection = configured;
        }
        else
        {
            server = EmbeddedPostgres.Start(options.Embedded);
            await CreateDatabaseIfMissingAsync(server.ConnectionString, options.EmbeddedDatabase, cancellationToken);
            ownerConnection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = options.EmbeddedDatabase }.ConnectionString;
        }
        try
        {
            return await OpenAsync(ownerConnection, options.AppConnectionString, server, migrate, cancellationToken);
        }
        catch
        {
            server?.Dispose();
            throw;
        }
    }

    /// <summary>Opens a database on a known server (the test fixtures' way), applying migrations.</summary>
    public static async Task<LedgerDatabase> OpenAsync(string ownerConnectionString, string? appConnectionString = null, EmbeddedPostgres? server = null, bool migrate = true, CancellationToken cancellationToken = default)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new LedgerEnvironmentException($"LEDGER_DB is not a valid connection string: {e.Message}", e);
        }
        // Error details carry the typed facts of conflicts (stream, versions, keys).
        builder.IncludeErrorDetail = true;
        // Marten's append function stores now() at time zone 'utc' into a timestamptz: only a UTC session stores the real instant.
        builder.Timezone = "UTC";
        var description = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var owner = NpgsqlDataSource.Create(builder.ConnectionString);
        NpgsqlDataSource? app = null;
        try
        {
            if (migrate)
            {
                await new Migrator(owner).ApplyAsync(Migration.Embedded(), cancellationToken);
            }
            // The role is a startup option, so it holds for the connection's life. Application sessions set
            // nothing else, so pooled connections need no reset on return: the reset (DISCARD ALL) would also
            // throw away the plans cached inside the chain trigger and Marten's append function.
            var appBuilder = appConnectionString is null
                ? new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Options = "-c role=ledger_app" }
                : new NpgsqlConnectionStringBuilder(appConnectionString) { IncludeErrorDetail = true, Timezone = "UTC" };
            appBuilder.NoResetOnClose = true;
            appBuilder.MaxAutoPrepare = 64;
            appBuilder.AutoPrepareMinUsages = 2;
            app = NpgsqlDataSource.Create(appBuilder.ConnectionString);
            await using (var probe = app.CreateCommand("SELECT current_user"))
            {
                var role = (string?)await probe.ExecuteScalarAsync(cancellationToken);
                if (appConnectionString is null && role != "ledger_app")
                {
                    throw new LedgerEnvironmentException($"application sessions run as '{role}', not 'ledger_app'; check that the owner may SET ROLE ledger_app.");
                }
            }
            return new LedgerDatabase(owner, app, server, description);
        }
        catch (NpgsqlException e) when (e is not PostgresException || IsRefusedLogin(e))
        {
            await owner.DisposeAsync();
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            throw new LedgerEnvironmentException(IsRefusedLogin(e)
                ? $"the database at {description} refused the login: {((PostgresException)e).MessageText}"
                : $"the database at {description} is unreachable: {e.Message}", e);
        }
        catch
        {
            await owner.DisposeAsync();
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            throw;
        }
    }

    // Class 28 (invalid authorization: wrong password, no such role) and 3D000 (no such database).
    private static bool IsRefusedLogin(NpgsqlException e) =>
        e is PostgresException { SqlState: var state } && (state.StartsWith("28", StringComparison.Ordinal) || state == PostgresErrorCodes.InvalidCatalogName);

    /// <summary>Creates a database on the server unless it exists.</summary>
    public static async Task CreateDatabaseIfMissingAsync(string serverConnectionString, string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = database });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" TEMPLATE template0 ENCODING 'UTF8'", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Owner.DisposeAsync();
        Server?.Dispose();
    }
}
