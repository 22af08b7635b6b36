using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ledger.EventStore;
using Ledger.EventStore.Serialization;
using Ledger.ReadModels;
using Spectre.Console;

namespace Ledger.Cli;

/// <summary><c>ledger rebuild</c>: replay every event into fresh read tables and swap them in, comparing row for row.</summary>
internal static class RebuildCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("rebuild",
            "Replay every event into fresh read tables (reports, histories, indexes the handlers use) and swap them in; reads keep answering meanwhile. Prints how the rebuilt tables compare with the ones they replace.");
        command.Options.Add(LedgerCli.FormatOption);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), cancellationToken: cancellationToken);
            var rebuild = new ReadModelRebuild(database.Owner, LedgerApp.EventTypes, ReadProjections.All);
            var result = await Progress.RunAsync(error, "rebuild", progress => rebuild.RunAsync(progress, cancellationToken));
            switch (parsed.GetValue(LedgerCli.FormatOption))
            {
                case OutputFormat.Json:
                    await output.WriteLineAsync(JsonSerializer.Serialize(new
                    {
                        events = result.Events,
                        caughtUp = result.CaughtUp,
                        position = result.Position,
                        seconds = Math.Round(result.Elapsed.TotalSeconds, 3),
                        eventsPerSecond = Math.Round(result.EventsPerSecond),
                        identical = result.Identical,
                        tables = result.Tables,
                    }, LedgerJson.Options));
                    break;
                case OutputFormat.Csv:
                    await output.WriteAsync('\uFEFF');
                    await output.WriteLineAsync("table,rows,missing,extra,identical");
                    foreach (var t in result.Tables)
                    {
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{t.Table},{t.Rows},{t.Missing},{t.Extra},{(t.Identical ? "true" : "false")}"));
                    }
                    break;
                default:
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"Rebuilt {result.Tables.Count} read tables from {result.Events:N0} events ({result.CaughtUp:N0} caught up under the chain's lock) up to position {result.Position:N0} in {result.Elapsed.TotalSeconds:0.0} s ({result.EventsPerSecond:N0} events/s)."));
                    foreach (var t in result.Tables)
                    {
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"  {t.Table,-20} {t.Rows,12:N0} rows  {(t.Identical ? "identical" : $"{t.Missing:N0} row(s) only in the replaced table, {t.Extra:N0} only in the rebuilt one")}"));
                    }
                    await output.WriteLineAsync(result.Identical
                        ? "The rebuilt tables equal the ones they replaced."
                        : "The rebuilt tables differ from the ones they replaced (listed above); the rebuilt ones, computed from the events, are now in use.");
                    break;
            }
            return result.Identical ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}

/// <summary>Long work's progress on stderr: a bar on a terminal, plain lines when redirected.</summary>
internal static class Progress
{
    public static async Task<T> RunAsync<T>(TextWriter error, string what, Func<IProgress<RebuildProgress>, Task<T>> work)
    {
        if (!Console.IsErrorRedirected && ReferenceEquals(error, Console.Error))
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return await console.Progress().AutoClear(false).Columns(
                    new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                    return await work(new Reporter(p =>
                    {
                        var phase = p.Phase.Split(' ')[0];
                        if (!tasks.TryGetValue(phase, out var task))
                        {
                            task = tasks[phase] = context.AddTask(phase);
                        }
                        task.Description = p.Phase;
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = Math.Min(p.Done, task.MaxValue);
                    }));
                });
        }
        var last = "";
        return await work(new Reporter(p =>
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{what}: {p.Phase} {p.Done:N0}/{p.Total:N0}");
            if (line != last)
            {
                error.WriteLine(line);
                last = line;
            }
        }));
    }

    /// <summary>Reports on the calling thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Reporter(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
