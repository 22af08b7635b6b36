using System.Diagnostics;
using System.Text;
using Ledger.EventStore.Embedded;

namespace Ledger.Benchmarks;

/// <summary>
/// Wall time of <c>ledger up --once</c> as a child process of the Release build of <c>src/Ledger.Cli</c>:
/// cold (a fresh data folder: initdb, start, migrate, start the handlers, stop) and warm (the same folder again).
/// </summary>
public static class ColdStart
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Builds the CLI; returns its dll, or null (and says why) when it cannot be built.</summary>
    public static async Task<string?> BuildAsync(string repository)
    {
        var project = Path.Combine(repository, "src", "Ledger.Cli", "Ledger.Cli.csproj");
        Console.WriteLine($"Building {Path.GetRelativePath(repository, project)} (Release) for the cold-start measurement...");
        var (code, output, elapsed) = await RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", project], TimeSpan.FromMinutes(10));
        if (code != 0)
        {
            Console.WriteLine($"up --once: not measured, the build failed (exit code {code}):");
            Console.WriteLine(Tail(output, 15));
            return null;
        }
        var dll = Path.Combine(repository, "src", "Ledger.Cli", "bin", "Release", "net10.0", "Ledger.Cli.dll");
        if (!File.Exists(dll))
        {
            Console.WriteLine($"up --once: not measured, the build made no {dll}");
            return null;
        }
        Console.WriteLine($"  built in {elapsed.TotalSeconds:F0} s");
        return dll;
    }

    /// <summary>
    /// <paramref name="runs"/> cold starts, each in a fresh folder under <paramref name="root"/>, then as many warm
    /// starts on the first folder. Returns the lines to print.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MeasureAsync(string dll, string root, int runs, CancellationToken cancellationToken)
    {
        var cold = new List<double>();
        var warm = new List<double>();
        var folders = Enumerable.Range(1, runs).Select(i => Path.Combine(root, $"cold-{i}")).ToArray();
        foreach (var (folder, times) in folders.Select(f => (f, cold)).Concat(folders.Take(1).SelectMany(f => Enumerable.Repeat((f, warm), runs))))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (code, output, elapsed) = await RunAsync("dotnet", [dll, "up", "--once", "--urls", "http://127.0.0.1:0", "--data", folder], Timeout);
            StopLeftover(folder);
            if (code == 2)
            {
                return ["up --once: not available (the CLI answered exit code 2: " + Tail(output, 3).Trim() + ")"];
            }
            if (code != 0)
            {
                return [$"up --once: failed with exit code {code}:", Tail(output, 10)];
            }
            times.Add(elapsed.TotalSeconds);
            Console.WriteLine($"  up --once {(times == cold ? "cold" : "warm")} {times.Count}: {elapsed.TotalSeconds:F2} s");
        }
        return
        [
            $"up --once, cold (fresh data folder: initdb, start, migrate, handlers, stop): median {Stats.Median(cold):F2} s of {runs} (min {cold.Min():F2}, max {cold.Max():F2})",
            $"up --once, warm (existing data folder): median {Stats.Median(warm):F2} s of {runs} (min {warm.Min():F2}, max {warm.Max():F2})",
        ];
    }

    /// <summary>The folder holding <c>Ledger.sln</c>, above this program or the current directory.</summary>
    public static string? FindRepository()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }

    // A CLI that crashed may leave its server running on a folder about to be deleted: stop it.
    private static void StopLeftover(string folder)
    {
        var pgdata = Path.Combine(folder, "pgdata");
        if (!File.Exists(Path.Combine(pgdata, "postmaster.pid")))
        {
            return;
        }
        Console.WriteLine($"  a server was left running in {folder}; stopping it");
        var pgCtl = Path.Combine(EmbeddedPostgres.FindBinaries(), "pg_ctl");
        string[] stop = ["stop", "-D", pgdata, "-m", "immediate", "-w"];
        _ = Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", pgCtl, .. stop], TimeSpan.FromMinutes(1)).GetAwaiter().GetResult()
            : RunAsync(pgCtl, stop, TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
    }

    private static async Task<(int Code, string Output, TimeSpan Elapsed)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // The child must start its own embedded server in the folder given, whatever this shell points at.
        info.Environment.Remove("LEDGER_DB");
        info.Environment.Remove("LEDGER_APP_DB");
        info.Environment.Remove("LEDGER_DATA");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var output = new StringBuilder();
        var started = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return (-1, $"{program} did not finish within {timeout.TotalMinutes:F0} min\n{Snapshot(output)}", Stopwatch.GetElapsedTime(started));
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        return (process.ExitCode, Snapshot(output), elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Tail(string text, int lines) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).Select(l => "    " + l.TrimEnd()));
}
