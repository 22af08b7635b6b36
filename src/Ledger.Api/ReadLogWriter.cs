using System.Threading.Channels;
using NodaTime;
using Npgsql;

namespace Ledger.Api;

/// <summary>One entry of the read log, as a read records it.</summary>
public sealed record ReadLogRow(Instant ReadAt, string User, string Role, string Resource, string Detail);

/// <summary>
/// Group commit of <c>api_read_log</c>: the entries of reads running at the same time go into one INSERT and one commit,
/// written by one background writer, and each read waits until its own entry committed before it is answered, so no read
/// is ever answered whose entry a crash could lose (docs/decisions.md, HTTP). While one group commits, the next gathers.
/// </summary>
public sealed class ReadLogWriter : IAsyncDisposable
{
    /// <summary>The most entries one commit takes; more wait for the next (a bound on one statement's arrays).</summary>
    public const int MaxGroup = 512;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<(ReadLogRow Row, TaskCompletionSource Committed)> _queue =
        Channel.CreateUnbounded<(ReadLogRow, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public ReadLogWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Records one entry; completes once it committed (or fails, and the read must not be answered).</summary>
    public Task RecordAsync(ReadLogRow row, CancellationToken cancellationToken = default)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((row, committed)))
        {
            throw new InvalidOperationException("the read log is closed: the server is stopping");
        }
        return committed.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync()
    {
        var group = new List<(ReadLogRow Row, TaskCompletionSource Committed)>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var entry))
            {
                group.Add(entry);
            }
            try
            {
                await InsertAsync(group);
                foreach (var (_, committed) in group)
                {
                    committed.TrySetResult();
                }
            }
            catch (Exception e)
            {
                foreach (var (_, committed) in group)
                {
                    committed.TrySetException(e);
                }
            }
            group.Clear();
        }
    }

    private async Task InsertAsync(List<(ReadLogRow Row, TaskCompletionSource Committed)> group)
    {
        // unnest keeps the arrays' order, so entry ids follow the order the reads were recorded in.
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO api_read_log (read_at, user_name, role, resource, detail) " +
            "SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[])");
        command.Parameters.Add(new NpgsqlParameter { Value = group.Select(g => g.Row.ReadAt.ToDateTimeUtc()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = group.Select(g => g.Row.User).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = group.Select(g => g.Row.Role).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = group.Select(g => g.Row.Resource).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = group.Select(g => g.Row.Detail).ToArray() });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}
