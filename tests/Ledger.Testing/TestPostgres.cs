using Ledger.EventStore;
using Ledger.EventStore.Embedded;
using Npgsql;

namespace Ledger.Testing;

/// <summary>
/// One embedded PostgreSQL per test process (non-durable: fsync off), started on first use from the
/// machine's binaries and removed when the process exits. Each test gets a fresh database copied
/// from a migrated template, so tests never see each other's events.
/// </summary>
public static class TestPostgres
{
    /// <summary>The migrated database every test database is copied from.</summary>
    public const string Template = "ledger_template";
    private static readonly Lazy<Task<EmbeddedPostgres>> Started = new(StartAsync);

    /// <summary>The running server; fails loudly (with the apt-get line) when PostgreSQL is not installed.</summary>
    public static Task<EmbeddedPostgres> ServerAsync() => Started.Value;

    /// <summary>Superuser connection string to <paramref name="database"/>.</summary>
    public static async Task<string> ConnectionStringAsync(string database) =>
        new NpgsqlConnectionStringBuilder((await ServerAsync()).ConnectionString) { Database = database, IncludeErrorDetail = true }.ConnectionString;

    /// <summary>A new, migrated database of its own.</summary>
    public static async Task<LedgerDatabase> CreateDatabaseAsync()
    {
        var name = await CreateEmptyDatabaseAsync(Template);
        return await LedgerDatabase.OpenAsync(await ConnectionStringAsync(name));
    }

    /// <summary>A new database with nothing in it (or a copy of <paramref name="template"/>); returns its name.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync(string template = "template0")
    {
        var server = await ServerAsync();
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    private static async Task<EmbeddedPostgres> StartAsync()
    {
        RemoveLeftovers();
        var root = Path.Combine(Path.GetTempPath(), $"ledger-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        EmbeddedPostgres server;
        try
        {
            server = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = root, Durable = false });
        }
        catch (LedgerEnvironmentException e)
        {
            throw new InvalidOperationException("The tests need PostgreSQL's server binaries: " + e.Message, e);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.Stop();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; the next run uses a new one.
            }
        };
        await LedgerDatabase.CreateDatabaseIfMissingAsync(server.ConnectionString, Template);
        var templateConnection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Template }.ConnectionString;
        // Opening migrates; disposing closes every pooled connection so the template can be copied.
        await (await LedgerDatabase.OpenAsync(templateConnection)).DisposeAsync();
        return server;
    }

    /// <summary>
    /// The folders of test processes that died without cleaning up (killed, or stopped by a debugger): their server is
    /// stopped if it outlived them, and the folder removed, so killed runs do not fill the disk. A folder of a live
    /// process, or one younger than ten minutes, is left alone.
    /// </summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), "ledger-test-*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], out var owner) || owner == Environment.ProcessId || ProcessAlive(owner)
                || Directory.GetLastWriteTimeUtc(folder) > DateTime.UtcNow.AddMinutes(-10))
            {
                continue;
            }
            try
            {
                var pidFile = Path.Combine(folder, "pgdata", "postmaster.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var postmaster) && ProcessAlive(postmaster))
                {
                    using var process = System.Diagnostics.Process.GetProcessById(postmaster);
                    process.Kill();
                    process.WaitForExit(10_000);
                }
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
            {
                // Someone else's, or still in use: the next run tries again.
            }
        }
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
