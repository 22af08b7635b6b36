using System.Collections.Concurrent;
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

/// <summary>One command: the first events of a new stream, with the command's metadata.</summary>
public sealed record Command(Guid StreamId, PaymentRecorded[] Events, EventMetadata Metadata);

/// <summary>
/// The shape of a scenario's work: how many events one transaction holds, how many of them go to each
/// stream (one command per stream), and how many writers share the transactions.
/// </summary>
public sealed record Shape(int EventsPerTransaction, int EventsPerStream, int Writers)
{
    private static readonly LocalDate ValueDate = new(2022, 6, 1);
    private static readonly Instant ApprovedAt = Instant.FromUtc(2022, 6, 1, 8, 0);

    /// <summary>Fresh transactions holding at least <paramref name="events"/> events (whole transactions), on new streams.</summary>
    public Command[][] Transactions(int events)
    {
        var count = Math.Max(1, (events + EventsPerTransaction - 1) / EventsPerTransaction);
        var commandsPerTransaction = EventsPerTransaction / EventsPerStream;
        var i = 0;
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, commandsPerTransaction).Select(_ => new Command(
            Guid.CreateVersion7(),
            [.. Enumerable.Range(0, EventsPerStream).Select(_ =>
            {
                i++;
                return new PaymentRecorded(Guid.NewGuid(), "无锡市锡山区东港镇农业服务中心", "2022年第二季度耕地地力保护补贴（第3批）",
                    Random.Shared.Next(1, 10_000_000) / 100m, ValueDate.PlusDays(i % 365), ApprovedAt.Plus(Duration.FromSeconds(i)));
            })],
            new EventMetadata("clerk-7", "clerk", Guid.NewGuid(), Reason: "按乡镇汇总表录入"))).ToArray())];
    }
}

/// <summary>One contender: writes transactions somewhere and counts the events it wrote.</summary>
public abstract class Writer(string name)
{
    private long _written;

    /// <summary>The column this contender is shown in.</summary>
    public string Name { get; } = name;

    /// <summary>Events written so far, warm-ups included.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>
    /// Writes every transaction, one at a time per writer; with several writers they take the transactions
    /// round-robin and run concurrently. Returns the number of events written.
    /// </summary>
    public async Task<long> RunAsync(Command[][] transactions, int writers)
    {
        if (writers == 1)
        {
            foreach (var transaction in transactions)
            {
                await WriteAsync(transaction);
            }
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (var t = w; t < transactions.Length; t += writers)
                {
                    await WriteAsync(transactions[t]);
                }
            })));
        }
        var events = transactions.Sum(t => t.Sum(c => (long)c.Events.Length));
        Interlocked.Add(ref _written, events);
        return events;
    }

    /// <summary>Writes one transaction.</summary>
    protected abstract Task WriteAsync(Command[] transaction);
}

/// <summary>
/// Through the ledger's event store: <c>AppendAsync</c> for a transaction of one command,
/// <c>AppendBatchAsync</c> (one session, one <c>SaveChangesAsync</c>) for more. The store's database
/// decides whether the chain runs.
/// </summary>
public sealed class StoreWriter(string name, EventStore.EventStore store) : Writer(name)
{
    private const string StreamType = "payment";

    /// <summary>The county every stream belongs to.</summary>
    public const string County = "320205";

    /// <summary>The store written to.</summary>
    public EventStore.EventStore Store { get; } = store;

    /// <inheritdoc />
    protected override async Task WriteAsync(Command[] transaction)
    {
        if (transaction.Length == 1)
        {
            await Store.AppendAsync(Append(transaction[0]), transaction[0].Metadata);
        }
        else
        {
            await Store.AppendBatchAsync([.. transaction.Select(c => new CommandAppend([Append(c)], c.Metadata))]);
        }
    }

    private static StreamAppend Append(Command command) =>
        new(command.StreamId, StreamType, ExpectedVersion.NoStream, County, command.Events);
}

/// <summary>
/// The floor: plain INSERTs of the same rows (the same payload, headers and metadata JSON, serialized in the
/// timed part as Marten does) into a table shaped like <c>mt_events</c> (<c>LIKE mt_events INCLUDING ALL</c>:
/// same columns, keys and indexes; no trigger, no foreign key, no <c>mt_streams</c> row, no function call).
/// One statement per transaction: a one-row INSERT, or one multi-row INSERT per batch, each in autocommit.
/// </summary>
public sealed class RawWriter : Writer
{
    private const string Columns = "seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, user_name, is_archived";
    private const int Parameters = 11;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly string _eventType;
    private readonly string _dotnetType;
    private readonly ConcurrentDictionary<int, string> _sql = new();
    private long _seq;

    /// <summary>Writes into <paramref name="table"/> on <paramref name="dataSource"/>.</summary>
    public RawWriter(string name, NpgsqlDataSource dataSource, string table, EventTypeRegistry types) : base(name)
    {
        _dataSource = dataSource;
        _table = table;
        _eventType = types.NameOf(typeof(PaymentRecorded));
        _dotnetType = $"{typeof(PaymentRecorded).FullName}, {typeof(PaymentRecorded).Assembly.GetName().Name}";
    }

    /// <inheritdoc />
    protected override async Task WriteAsync(Command[] transaction)
    {
        var rows = transaction.Sum(c => c.Events.Length);
        await using var command = _dataSource.CreateCommand(_sql.GetOrAdd(rows, InsertSql));
        foreach (var c in transaction)
        {
            var headers = JsonSerializer.Serialize(
                new Dictionary<string, string?> { ["role"] = c.Metadata.Role, ["county"] = StoreWriter.County, ["reason"] = c.Metadata.Reason },
                LedgerJson.Options);
            for (var v = 0; v < c.Events.Length; v++)
            {
                var p = command.Parameters;
                p.Add(new NpgsqlParameter<long> { TypedValue = Interlocked.Increment(ref _seq) });
                p.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
                p.Add(new NpgsqlParameter<Guid> { TypedValue = c.StreamId });
                p.Add(new NpgsqlParameter<long> { TypedValue = v + 1 });
                p.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(c.Events[v], LedgerJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
                p.Add(new NpgsqlParameter<string> { TypedValue = _eventType });
                p.Add(new NpgsqlParameter<string> { TypedValue = _dotnetType });
                p.Add(new NpgsqlParameter<string> { TypedValue = c.Metadata.CorrelationId.ToString() });
                p.Add(new NpgsqlParameter<string?> { TypedValue = c.Metadata.CausationId?.ToString(), NpgsqlDbType = NpgsqlDbType.Varchar });
                p.Add(new NpgsqlParameter<string> { TypedValue = headers, NpgsqlDbType = NpgsqlDbType.Jsonb });
                p.Add(new NpgsqlParameter<string> { TypedValue = c.Metadata.Actor });
            }
        }
        await command.ExecuteNonQueryAsync();
    }

    private string InsertSql(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {_table} ({Columns}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            var b = r * Parameters;
            sql.Append(r == 0 ? "" : ", ")
                .Append($"(${b + 1}, ${b + 2}, ${b + 3}, ${b + 4}, ${b + 5}, ${b + 6}, now(), '*DEFAULT*', ${b + 7}, ${b + 8}, ${b + 9}, ${b + 10}, ${b + 11}, FALSE)");
        }
        return sql.ToString();
    }
}
