using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Benchmarks;

/// <summary>A realistic event: ids, Chinese text, an exact amount, a date and an instant.</summary>
[EventType("payment-recorded")]
public sealed record PaymentRecorded(Guid PaymentId, string Payee, string Memo, decimal Amount, LocalDate ValueDate, Instant ApprovedAt);

/// <summary>One event to write both ways: the first event of a new stream, with its command's metadata.</summary>
public sealed record Sample(Guid StreamId, PaymentRecorded Event, EventMetadata Metadata);

/// <summary>
/// Writes the same samples through the event store (ours) and as plain rows into <c>plain_events</c>
/// (the limit): a table of the same shape as <c>events</c> without the store's lock, checks and chain.
/// </summary>
public sealed class Writers
{
    private const string StreamType = "payment";
    private const string County = "320205";
    private const string Columns = "seq, event_id, stream_id, stream_version, event_type, data, metadata, county_code, recorded_at, prev_hash, hash";
    private const int ColumnCount = 11;

    private static readonly byte[] ZeroHash = new byte[32];
    private readonly NpgsqlDataSource _app;
    private readonly string _eventType;
    private readonly ConcurrentDictionary<int, string> _insertSql = new();
    private long _plainSeq;
    private long _oursAppended;

    private Writers(EventStore.EventStore store, NpgsqlDataSource app)
    {
        Store = store;
        _app = app;
        _eventType = store.Types.NameOf(typeof(PaymentRecorded));
    }

    /// <summary>The store under test, on the application data source.</summary>
    public EventStore.EventStore Store { get; }

    /// <summary>Events appended through the store so far: what verification must find.</summary>
    public long OursAppended => Interlocked.Read(ref _oursAppended);

    /// <summary>Creates <c>plain_events</c> beside <c>events</c> and the store over the application data source.</summary>
    public static async Task<Writers> CreateAsync(LedgerDatabase db)
    {
        // LIKE ... INCLUDING ALL copies columns, types, checks, the primary key, unique constraints and
        // indexes; PostgreSQL never copies foreign keys or triggers, which is what the baseline must lack.
        await using (var create = db.Owner.CreateCommand(
            "CREATE TABLE plain_events (LIKE events INCLUDING ALL); GRANT SELECT, INSERT ON plain_events TO ledger_app"))
        {
            await create.ExecuteNonQueryAsync();
        }
        return new Writers(Ledger.Testing.TestStores.Create(db, typeof(PaymentRecorded).Assembly), db.App);
    }

    /// <summary>Fresh samples: a new stream each, so no run collides with another.</summary>
    public static Sample[] Samples(int count)
    {
        var on = new LocalDate(2022, 6, 1);
        var at = Instant.FromUtc(2022, 6, 1, 8, 0);
        return Enumerable.Range(0, count).Select(i => new Sample(
            Guid.CreateVersion7(),
            new PaymentRecorded(Guid.NewGuid(), "无锡市锡山区东港镇农业服务中心", "2022年第二季度耕地地力保护补贴（第3批）",
                Random.Shared.Next(1, 10_000_000) / 100m, on.PlusDays(i % 365), at.Plus(Duration.FromSeconds(i))),
            new EventMetadata("clerk-7", "clerk", Guid.NewGuid(), Reason: "按乡镇汇总表录入"))).ToArray();
    }

    /// <summary>Through the store: one command per sample, <paramref name="batch"/> commands per call (1: <c>AppendAsync</c>).</summary>
    public async Task Ours(IReadOnlyList<Sample> rows, int batch)
    {
        foreach (var chunk in rows.Chunk(batch))
        {
            if (batch == 1)
            {
                await Store.AppendAsync(Append(chunk[0]), chunk[0].Metadata);
            }
            else
            {
                await Store.AppendBatchAsync(chunk.Select(s => new CommandAppend([Append(s)], s.Metadata)).ToArray());
            }
        }
        Interlocked.Add(ref _oursAppended, rows.Count);
    }

    /// <summary>The limit: one INSERT statement of <paramref name="batch"/> rows per call, which autocommit makes one transaction.</summary>
    public async Task Plain(IReadOnlyList<Sample> rows, int batch)
    {
        foreach (var chunk in rows.Chunk(batch))
        {
            await using var command = _app.CreateCommand(_insertSql.GetOrAdd(chunk.Length, InsertSql));
            foreach (var sample in chunk)
            {
                AddRow(command.Parameters, sample);
            }
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The raw ceiling: binary COPY of the same rows, 1000 per COPY.</summary>
    public async Task Copy(IReadOnlyList<Sample> rows)
    {
        foreach (var chunk in rows.Chunk(1000))
        {
            await using var connection = await _app.OpenConnectionAsync();
            await using var import = await connection.BeginBinaryImportAsync($"COPY plain_events ({Columns}) FROM STDIN (FORMAT BINARY)");
            foreach (var sample in chunk)
            {
                await import.StartRowAsync();
                await import.WriteAsync(Interlocked.Increment(ref _plainSeq), NpgsqlDbType.Bigint);
                await import.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await import.WriteAsync(sample.StreamId, NpgsqlDbType.Uuid);
                await import.WriteAsync(1L, NpgsqlDbType.Bigint);
                await import.WriteAsync(_eventType, NpgsqlDbType.Text);
                await import.WriteAsync(JsonSerializer.Serialize(sample.Event, LedgerJson.Options), NpgsqlDbType.Jsonb);
                await import.WriteAsync(JsonSerializer.Serialize(sample.Metadata, LedgerJson.Options), NpgsqlDbType.Jsonb);
                await import.WriteAsync(County, NpgsqlDbType.Text);
                await import.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                await import.WriteAsync(ZeroHash, NpgsqlDbType.Bytea);
                await import.WriteAsync(RandomNumberGenerator.GetBytes(32), NpgsqlDbType.Bytea);
            }
            await import.CompleteAsync();
        }
    }

    /// <summary>Splits the rows among <paramref name="writers"/> concurrent tasks.</summary>
    public static Task Parallel(IReadOnlyList<Sample> rows, int writers, Func<IReadOnlyList<Sample>, Task> write) =>
        Task.WhenAll(rows.Chunk((rows.Count + writers - 1) / writers).Select(part => Task.Run(() => write(part))));

    private static StreamAppend Append(Sample sample) =>
        new(sample.StreamId, StreamType, ExpectedVersion.NoStream, County, [sample.Event]);

    private static string InsertSql(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO plain_events ({Columns}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 1; c <= ColumnCount; c++)
            {
                sql.Append(c == 1 ? "$" : ", $").Append((r * ColumnCount) + c);
            }
            sql.Append(')');
        }
        return sql.ToString();
    }

    // The same payload and metadata JSON the store would write; the serialization is part of both measurements.
    private void AddRow(NpgsqlParameterCollection parameters, Sample sample)
    {
        parameters.Add(new NpgsqlParameter<long> { TypedValue = Interlocked.Increment(ref _plainSeq) });
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = sample.StreamId });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = 1 });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = _eventType });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(sample.Event, LedgerJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(sample.Metadata, LedgerJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = County });
        parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = DateTime.UtcNow });
        parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = ZeroHash });
        parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = RandomNumberGenerator.GetBytes(32) });
    }
}
