using Ledger.EventStore.Migrations;
using Ledger.Testing;
using Npgsql;

namespace Ledger.EventStore.Tests;

public sealed class MigrationFacts : IAsyncLifetime
{
    private NpgsqlDataSource _owner = null!;

    public async Task InitializeAsync() =>
        _owner = NpgsqlDataSource.Create(await TestPostgres.ConnectionStringAsync(await TestPostgres.CreateEmptyDatabaseAsync()));

    public async Task DisposeAsync() => await _owner.DisposeAsync();

    private static readonly Migration First = Migration.FromFile("0001_accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY);");
    private static readonly Migration Second = Migration.FromFile("0002_account_names.sql", "ALTER TABLE accounts ADD COLUMN name text;");

    [Fact]
    public async Task Migrations_apply_in_number_order_whatever_order_they_are_given_in()
    {
        var applied = await new Migrator(_owner).ApplyAsync([Second, First]);

        applied.Select(m => m.FileName).ShouldBe(["0001_accounts.sql", "0002_account_names.sql"]);
        (await ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts'")).ShouldBe(2L);
    }

    [Fact]
    public async Task A_migration_is_applied_once_only()
    {
        await new Migrator(_owner).ApplyAsync([First]);

        var again = await new Migrator(_owner).ApplyAsync([First, Second]);

        again.Select(m => m.FileName).ShouldBe(["0002_account_names.sql"]);
        (await ScalarAsync("SELECT count(*) FROM schema_migrations")).ShouldBe(2L);
    }

    [Fact]
    public async Task An_applied_migration_whose_file_changed_is_refused_by_name()
    {
        await new Migrator(_owner).ApplyAsync([First]);
        var edited = Migration.FromFile("0001_accounts.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY);");

        var error = await Should.ThrowAsync<MigrationException>(() => new Migrator(_owner).ApplyAsync([edited, Second]));

        error.Message.ShouldContain("0001_accounts.sql");
        error.Message.ShouldContain("changed after it was applied");
        (await ScalarAsync("SELECT count(*) FROM schema_migrations")).ShouldBe(1L);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied_and_names_the_file()
    {
        var broken = Migration.FromFile("0002_broken.sql", "CREATE TABLE half (id int); SELECT no_such_function();");

        var error = await Should.ThrowAsync<MigrationException>(() => new Migrator(_owner).ApplyAsync([First, broken]));

        error.Message.ShouldContain("0002_broken.sql");
        (await ScalarAsync("SELECT count(*) FROM schema_migrations")).ShouldBe(1L);
        (await ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'")).ShouldBe(0L);
    }

    [Fact]
    public async Task A_database_ahead_of_the_program_is_refused()
    {
        await new Migrator(_owner).ApplyAsync([First, Second]);

        var error = await Should.ThrowAsync<MigrationException>(() => new Migrator(_owner).ApplyAsync([First]));

        error.Message.ShouldContain("0002_account_names.sql");
    }

    [Theory]
    [InlineData("1_accounts.sql")]
    [InlineData("0001-accounts.sql")]
    [InlineData("0001_Accounts.SQL")]
    public void A_misnamed_migration_file_is_refused(string fileName) =>
        Should.Throw<MigrationException>(() => Migration.FromFile(fileName, "SELECT 1")).Message.ShouldContain(fileName);

    [Fact]
    public void Two_files_with_one_number_are_refused() =>
        Should.Throw<MigrationException>(() => Migration.Ordered([First, Migration.FromFile("0001_other.sql", "SELECT 1")]));

    [Fact]
    public void The_shipped_migrations_are_embedded_in_order()
    {
        var shipped = Migration.Embedded();

        shipped.ShouldNotBeEmpty();
        shipped.Select(m => m.FileName).ShouldBe(["0001_roles.sql", "0002_marten_event_store.sql", "0003_event_chain.sql", "0004_read_models.sql", "0005_wolverine_message_store.sql", "0006_reports.sql", "0007_imports.sql", "0008_api.sql", "0009_chain_linking.sql", "0010_stream_fold_read.sql", "0011_health_read.sql", "0012_chain_single_link.sql"]);
        shipped.Select(m => m.Version).ShouldBe(shipped.Select(m => m.Version).Order());
    }

    [Fact]
    public async Task A_database_made_by_the_earlier_event_store_is_refused_in_one_line_that_says_to_start_afresh()
    {
        await new Migrator(_owner).ApplyAsync([Migration.FromFile("0001_event_store.sql", "CREATE TABLE events (seq bigint)")]);

        var error = await Should.ThrowAsync<MigrationException>(() => new Migrator(_owner).ApplyAsync(Migration.Embedded()));

        error.Message.ShouldContain("earlier event store");
        error.Message.ShouldContain("start afresh");
        error.Message.ShouldNotContain("\n");
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _owner.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
