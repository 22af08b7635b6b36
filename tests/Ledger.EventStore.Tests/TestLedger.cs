using Ledger.Testing;
using Npgsql;

namespace Ledger.EventStore.Tests;

/// <summary>
/// A fresh migrated database with the event store over Marten for the sample events, and the SQL the store-level
/// tests check the tables with. As a test class's base it is one database per test (xunit makes one instance per
/// test); as a class fixture, one per class.
/// </summary>
public class TestLedger : IAsyncLifetime
{
    public LedgerDatabase Db { get; private set; } = null!;

    public EventStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Db = await TestPostgres.CreateDatabaseAsync();
        Store = TestStores.Create(Db, typeof(SampleRecorded).Assembly);
    }

    public async Task DisposeAsync()
    {
        Store.Marten.Dispose();
        await Db.DisposeAsync();
    }

    /// <summary>One new stream with one event; returns its stream id.</summary>
    public async Task<Guid> AppendNewStreamAsync(decimal amount = 1m)
    {
        var id = Guid.NewGuid();
        await Store.AppendAsync(Samples.Append(id, ExpectedVersion.NoStream, Samples.Recorded(id, amount)), Samples.Metadata());
        return id;
    }

    /// <summary>The first column of the first row, read as the owner (superuser).</summary>
    public Task<T> OwnerScalarAsync<T>(string sql, params object[] parameters) => ScalarAsync<T>(Db.Owner, sql, parameters);

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The first column of every row, read as the owner.</summary>
    public async Task<IReadOnlyList<T>> OwnerColumnAsync<T>(string sql, params object[] parameters)
    {
        await using var command = Db.Owner.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }
        return values;
    }

    /// <summary>Runs statements one after the other on one owner connection, each in its own transaction.</summary>
    public async Task OwnerExecuteAsync(params string[] statements)
    {
        await using var connection = await Db.Owner.OpenConnectionAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Runs <paramref name="sql"/> on <paramref name="dataSource"/> and returns PostgreSQL's refusal.</summary>
    public static async Task<PostgresException> RefusedAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }

    /// <summary>Counts (events, links) in the whole database.</summary>
    public async Task<(long Events, long Links)> CountsAsync() =>
        (await OwnerScalarAsync<long>("SELECT count(*) FROM mt_events"), await OwnerScalarAsync<long>("SELECT count(*) FROM event_chain"));

    /// <summary>
    /// An event written the way an operator would in psql: a stream row and an event row with the next seq_id
    /// (the chain trigger links it at commit like any other). Returns the statements; the caller chooses the transaction.
    /// </summary>
    public static string[] InsertEventSql(Guid streamId, string note) =>
    [
        $"INSERT INTO mt_streams (id, type, version) VALUES ('{streamId}', 'sample', 1)",
        "INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, headers, user_name) " +
        $"VALUES (nextval('mt_events_sequence'), gen_random_uuid(), '{streamId}', 1, " +
        $"jsonb_build_object('sampleId', '{streamId}', 'note', '{note}'), 'sample-noted', '*DEFAULT*', now(), " +
        "'{\"role\": \"admin\", \"county\": \"320205\"}', 'operator')",
    ];
}
