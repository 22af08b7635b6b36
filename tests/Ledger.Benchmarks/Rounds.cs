using System.Diagnostics;

namespace Ledger.Benchmarks;

/// <summary>One scenario: a shape of work, the events each contender writes per round, and the contenders.</summary>
/// <param name="Name">As printed.</param>
/// <param name="Shape">Events per transaction and per stream, writers.</param>
/// <param name="Events">Events each contender writes per round (whole transactions).</param>
/// <param name="Contenders">Measured against each other, interleaved.</param>
/// <param name="Optional">A contender failing its warm-up drops the scenario (with the reason) instead of the run.</param>
public sealed record Scenario(string Name, Shape Shape, int Events, Writer[] Contenders, bool Optional = false);

/// <summary>
/// Warm-up, then rounds. Every round runs every scenario, and in each the contenders take turns in an
/// order that rotates from round to round (and from scenario to scenario), so drift (tables growing,
/// a neighbour on the shared machine) hits all contenders alike. Each run gets fresh transactions on
/// new streams, generated before its clock starts.
/// </summary>
public sealed class Rounds(IReadOnlyList<Scenario> scenarios, int rounds, int warmupEvents, Func<Task> afterWarmUp, CancellationToken cancellationToken)
{
    private readonly Dictionary<(Scenario, Writer), List<double>> _rates = [];
    private readonly List<Scenario> _active = [];

    /// <summary>Scenarios dropped at warm-up, with why.</summary>
    public List<(Scenario Scenario, string Reason)> Dropped { get; } = [];

    /// <summary>Runs the warm-up and the rounds.</summary>
    public async Task RunAsync()
    {
        foreach (var scenario in scenarios)
        {
            try
            {
                foreach (var contender in scenario.Contenders)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var events = Math.Max(warmupEvents, 2 * scenario.Shape.EventsPerTransaction);
                    await contender.RunAsync(scenario.Shape.Transactions(events), scenario.Shape.Writers);
                }
                _active.Add(scenario);
            }
            catch (Exception e) when (scenario.Optional && e is not OperationCanceledException)
            {
                Dropped.Add((scenario, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}"));
                Console.WriteLine($"  {scenario.Name}: dropped, warm-up failed: {Dropped[^1].Reason}");
            }
        }
        await afterWarmUp();
        Console.WriteLine("  warm-up done");
        for (var round = 0; round < rounds; round++)
        {
            for (var s = 0; s < _active.Count; s++)
            {
                var scenario = _active[s];
                var n = scenario.Contenders.Length;
                var order = Enumerable.Range(0, n).Select(i => (i + round + s) % n).ToArray();
                var work = order.Select(_ => scenario.Shape.Transactions(scenario.Events)).ToArray();
                var line = new string[n];
                for (var k = 0; k < n; k++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var contender = scenario.Contenders[order[k]];
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var started = Stopwatch.GetTimestamp();
                    var events = await contender.RunAsync(work[k], scenario.Shape.Writers);
                    var rate = events / Stopwatch.GetElapsedTime(started).TotalSeconds;
                    Rates(scenario, contender).Add(rate);
                    line[order[k]] = $"{contender.Name} {rate,9:N0}";
                }
                Console.WriteLine($"  round {round + 1}  {scenario.Name,-32} {string.Join("   ", line)}   events/s");
            }
        }
    }

    /// <summary>The median rate of <paramref name="contender"/> in <paramref name="scenario"/> (events/s), or null when not measured.</summary>
    public double? Median(Scenario scenario, Writer contender) =>
        _rates.TryGetValue((scenario, contender), out var rates) && rates.Count > 0 ? Stats.Median(rates) : null;

    /// <summary>
    /// The median over rounds of <paramref name="contender"/>'s rate divided by <paramref name="baseline"/>'s in the same
    /// round (events/s ratio), or null when not measured: the two ran back to back, so a round's drift hits both.
    /// </summary>
    public double? PairedRatio(Scenario scenario, Writer contender, Writer baseline) =>
        _rates.TryGetValue((scenario, contender), out var rates) && _rates.TryGetValue((scenario, baseline), out var bases) && rates.Count > 0
            ? Stats.Median([.. rates.Zip(bases, (r, b) => r / b)])
            : null;

    private List<double> Rates(Scenario scenario, Writer contender)
    {
        if (!_rates.TryGetValue((scenario, contender), out var rates))
        {
            _rates[(scenario, contender)] = rates = [];
        }
        return rates;
    }
}
