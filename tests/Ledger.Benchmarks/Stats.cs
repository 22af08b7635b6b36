namespace Ledger.Benchmarks;

/// <summary>Small helpers for the figures and the machine they were measured on.</summary>
public static class Stats
{
    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The <paramref name="percent"/>th percentile by nearest rank (p99 of 500 values is the 495th smallest).</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>True when this process runs as root (the embedded server then runs as <c>postgres</c>).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    /// <summary>The file system type and mount point holding <paramref name="path"/>, from /proc/mounts.</summary>
    public static string FileSystemOf(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var best = File.ReadLines("/proc/mounts")
                .Select(line => line.Split(' '))
                .Where(f => f.Length >= 3 && (full == f[1] || full.StartsWith(f[1].TrimEnd('/') + "/", StringComparison.Ordinal)))
                .MaxBy(f => f[1].Length);
            return best is null ? "unknown file system" : $"{best[2]} at {best[1]}";
        }
        catch (IOException)
        {
            return "unknown file system";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown file system";
        }
    }
}
