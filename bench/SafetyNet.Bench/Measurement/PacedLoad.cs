using System.Diagnostics;

namespace SafetyNet.Bench.Measurement;

/// <summary>An open-loop load: operations due at a fixed rate, each timed from when it was due.</summary>
public static class PacedLoad
{
    /// <summary>
    /// Operations due at <paramref name="rate"/> a second for <paramref name="duration"/>, spread over <paramref name="callers"/>;
    /// each is timed from when it was due, so a node that falls behind shows it in the latency rather than in a lower rate asked.
    /// </summary>
    public static async Task<LatencySummary> RunAsync(int callers, Func<int, long, ValueTask> operation, int rate, TimeSpan duration)
    {
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var due = (long)(rate * duration.TotalSeconds);
        var ticksPerOperation = Stopwatch.Frequency / (double)rate;
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var latencies = new List<long>();
            for (long slot = caller; slot < due; slot += callers)
            {
                var dueAt = started + (long)(slot * ticksPerOperation);
                var wait = dueAt - Stopwatch.GetTimestamp();
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
                await operation(caller, slot);
                latencies.Add(Stopwatch.GetTimestamp() - dueAt);
            }
            return latencies;
        })));
        return LatencySummary.From(callers, [.. perCaller.SelectMany(l => l)], Stopwatch.GetElapsedTime(started), Environment.CpuUsage.TotalTime - cpuBefore);
    }
}
