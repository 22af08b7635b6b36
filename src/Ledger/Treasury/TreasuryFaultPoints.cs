namespace Ledger.Treasury;

/// <summary>
/// The two moments of writing a treasury line at which a crash must lose nothing and write nothing twice. The ledger
/// runs with <see cref="NoTreasuryFaults"/>; the crash tests' host registers points that signal and then never return,
/// so the test can kill the process exactly there.
/// </summary>
public interface ITreasuryFaultPoints
{
    /// <summary>The approval and its instruction are committed and the message has reached its handler; nothing is written yet.</summary>
    ValueTask AfterCommitAsync(WriteTreasuryInstruction instruction);

    /// <summary>The line is in its file and on disk; Wolverine has not yet recorded the message as handled.</summary>
    ValueTask AfterWriteAsync(WriteTreasuryInstruction instruction);
}

/// <summary>The ledger's own: nothing happens at either point.</summary>
public sealed class NoTreasuryFaults : ITreasuryFaultPoints
{
    public static NoTreasuryFaults Instance { get; } = new();

    private NoTreasuryFaults()
    {
    }

    public ValueTask AfterCommitAsync(WriteTreasuryInstruction instruction) => ValueTask.CompletedTask;

    public ValueTask AfterWriteAsync(WriteTreasuryInstruction instruction) => ValueTask.CompletedTask;
}
