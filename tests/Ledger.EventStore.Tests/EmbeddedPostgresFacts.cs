using Ledger.EventStore.Embedded;
using Npgsql;

namespace Ledger.EventStore.Tests;

public sealed class EmbeddedPostgresFacts : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ledger-embedded-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Starting_again_on_the_same_folder_finds_the_same_data()
    {
        using (var first = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = _root, Durable = false }))
        {
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('锡山区 3710万元')");
        }

        using var second = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = _root, Durable = false });
        await using var connection = new NpgsqlConnection(second.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT note FROM kept", connection);

        (await read.ExecuteScalarAsync()).ShouldBe("锡山区 3710万元");
    }

    [Fact]
    public async Task A_second_start_on_a_folder_in_use_works_against_the_running_server_and_leaves_it_running()
    {
        using var first = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = _root, Durable = false });
        await ExecuteAsync(first.ConnectionString, "CREATE TABLE shared (note text); INSERT INTO shared VALUES ('锡山区')");

        using (var second = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = _root, Durable = false }))
        {
            second.Port.ShouldBe(first.Port);
            second.OwnerPid.ShouldNotBeNull();
            await using var connection = new NpgsqlConnection(second.ConnectionString);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT note FROM shared", connection);
            (await read.ExecuteScalarAsync()).ShouldBe("锡山区");
        }

        first.OwnerPid.ShouldBeNull();
        File.Exists(Path.Combine(first.DataDirectory, "postmaster.pid")).ShouldBeTrue("the server belongs to the first process: the second leaves it running");
        await ExecuteAsync(first.ConnectionString, "SELECT 1");
    }

    [Fact]
    public void Missing_binaries_name_the_package_to_install()
    {
        var error = Should.Throw<LedgerEnvironmentException>(() =>
            EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = _root, BinDirectory = "/nonexistent/postgresql/bin" }));

        error.Message.ShouldContain("apt-get install postgresql");
        Directory.Exists(_root).ShouldBeFalse();
    }

    [Fact]
    public void Stopping_twice_is_harmless_and_the_port_is_released()
    {
        var server = EmbeddedPostgres.Start(new EmbeddedPostgresOptions { DataRoot = _root, Durable = false });
        server.Stop();
        server.Stop();

        File.Exists(Path.Combine(server.DataDirectory, "postmaster.pid")).ShouldBeFalse();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
