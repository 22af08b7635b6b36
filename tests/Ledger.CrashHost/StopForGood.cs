using Ledger.Treasury;

namespace Ledger.CrashHost;

/// <summary>
/// At its fault point (<c>after-commit</c> or <c>after-write</c>) prints "fault &lt;point&gt; &lt;disbursement&gt;" and never
/// returns: the process stays exactly there until the test kills it.
/// </summary>
internal sealed class StopForGood(string point) : ITreasuryFaultPoints
{
    public const string AfterCommit = "after-commit";
    public const string AfterWrite = "after-write";

    public ValueTask AfterCommitAsync(WriteTreasuryInstruction instruction) => StopAsync(AfterCommit, instruction);

    public ValueTask AfterWriteAsync(WriteTreasuryInstruction instruction) => StopAsync(AfterWrite, instruction);

    private async ValueTask StopAsync(string reached, WriteTreasuryInstruction instruction)
    {
        if (reached != point)
        {
            return;
        }
        await Console.Out.WriteLineAsync($"fault {reached} {instruction.DisbursementId}");
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.InfiniteTimeSpan);
    }
}
