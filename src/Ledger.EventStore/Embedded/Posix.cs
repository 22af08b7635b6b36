using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ledger.EventStore.Embedded;

internal static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>Signal 0 probes whether a process exists; EPERM (another user's process) also means it exists.</summary>
    public static bool ProcessExists(int pid) => Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1;

    /// <summary>Runs a program to completion, as <paramref name="runAs"/> when given, and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, string? runAs = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // initdb and pg_ctl refuse to run from a folder their user cannot enter (e.g. /root), and the
            // data folder itself may be gone by the time a stop runs: "/" is always there for everyone.
            WorkingDirectory = "/",
        };
        if (runAs is null)
        {
            info.FileName = program;
        }
        else
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(runAs);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // PostgreSQL tools print localized messages; keep them readable and parseable.
        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info) ?? throw new LedgerEnvironmentException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new LedgerEnvironmentException($"{program} did not finish in time");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
