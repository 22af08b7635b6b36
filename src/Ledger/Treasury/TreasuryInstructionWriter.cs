using Ledger.EventStore;
using Npgsql;

namespace Ledger.Treasury;

/// <summary>Where the treasury instruction files go: one folder per ledger database, created when the first line is written.</summary>
public sealed record TreasuryFolder(string Path)
{
    /// <summary>
    /// The configured folder (<see cref="LedgerAppOptions.TreasuryFolder"/>), else <c>treasury/</c> in the embedded
    /// server's data folder (beside <c>pgdata/</c>), the ledger's own place; with a server given by connection string the
    /// ledger has no folder of its own, so <c>treasury/</c> under the working directory. Always as a full path.
    /// </summary>
    public static TreasuryFolder Of(string? configured, LedgerDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var folder = configured ?? System.IO.Path.Combine(database.Server?.DataRoot ?? Directory.GetCurrentDirectory(), "treasury");
        return new(System.IO.Path.GetFullPath(folder));
    }
}

/// <summary>
/// Writes one line per treasury instruction into the file of its paying line and approval date, exactly once across
/// crashes and processes: the write happens under a PostgreSQL advisory lock (every <c>ledger</c> process on the
/// database takes the same one, on a connection of its own), and under it the file itself says whether the line is
/// there already (<see cref="TreasuryFile"/>).
/// </summary>
/// <remarks>
/// Wolverine offers no exclusive listener for local queues (ListenWithStrictOrdering and ExclusiveNodeWithParallelism
/// throw for them), and in Solo mode every process is node 1 and releases every stored message's ownership when it
/// starts, so a second <c>ledger</c> process on the database may run a message the first is running. The lock makes
/// the two take turns; the check in the file makes the second one write nothing.
/// </remarks>
public sealed class TreasuryInstructionWriter(TreasuryFolder folder, LedgerDatabase database, ITreasuryFaultPoints faults)
{
    /// <summary>The advisory lock key of treasury writes (the migrator's is 7250430).</summary>
    public const long LockKey = 7250431;

    public string Folder => folder.Path;

    /// <returns>Whether the line was written now (false: the file held it already).</returns>
    public async Task<bool> WriteAsync(WriteTreasuryInstruction instruction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        await faults.AfterCommitAsync(instruction);
        bool written;
        await using (var connection = await database.App.OpenConnectionAsync(cancellationToken))
        {
            // A transaction-level lock: released by the commit, the rollback, or the connection's end if this process dies.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            written = TreasuryFile.Append(folder.Path, instruction);
            await transaction.CommitAsync(cancellationToken);
        }
        await faults.AfterWriteAsync(instruction);
        return written;
    }
}
