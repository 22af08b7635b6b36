namespace Ledger.Cli;

/// <summary>The CLI's exit codes (README lists them).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A check found a problem: verify found a broken chain, reconcile found a variance.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input or usage.</summary>
    public const int BadInput = 2;

    /// <summary>The environment failed: database unreachable, PostgreSQL binaries missing, migrations refused.</summary>
    public const int Environment = 3;
}
