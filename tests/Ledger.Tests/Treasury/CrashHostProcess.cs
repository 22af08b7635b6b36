using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Threading.Channels;

namespace Ledger.Tests.Treasury;

/// <summary>
/// tests/Ledger.CrashHost running as a child process (built before these tests by the project reference in
/// Ledger.Tests.csproj, its path compiled in): its output line by line, and SIGKILL.
/// </summary>
internal sealed class CrashHostProcess : IAsyncDisposable
{
    /// <summary>How long a step of the child may take before the test gives up on it (a hung build, not a measurement).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static readonly string Assembly = typeof(CrashHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CrashHost").Value!;

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _output = new();

    private CrashHostProcess(Process process) => _process = process;

    public static CrashHostProcess Start(params string[] arguments)
    {
        File.Exists(Assembly).ShouldBeTrue($"the crash host is built at {Assembly}");
        // The dotnet that runs the tests (the SDK names it to its child processes), else the one on the PATH.
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Assembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = info };
        var host = new CrashHostProcess(process);
        process.OutputDataReceived += (_, e) => host.Received(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => host.Received(e.Data, error: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void Received(string? line, bool error)
    {
        if (line is null)
        {
            if (!error)
            {
                _lines.Writer.TryComplete();
            }
            return;
        }
        lock (_output)
        {
            _output.AppendLine(error ? "stderr: " + line : line);
        }
        if (!error)
        {
            _lines.Writer.TryWrite(line);
        }
    }

    /// <summary>What the child printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits until the child prints <paramref name="expected"/>: the proof that it reached a point.</summary>
    public async Task WaitForLineAsync(string expected)
    {
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(patience.Token))
            {
                if (line == expected)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new ShouldAssertException($"the crash host did not print '{expected}' in {Patience}; it printed:\n{Output}");
        }
        await _process.WaitForExitAsync();
        throw new ShouldAssertException($"the crash host exited ({_process.ExitCode}) without printing '{expected}'; it printed:\n{Output}");
    }

    /// <summary>kill -9 (Process.Kill sends SIGKILL on Unix); returns the exit code, 128 + 9 for a process the signal killed.</summary>
    public async Task<int> KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            throw new ShouldAssertException($"the crash host did not finish in {Patience}; it printed:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
