using System.Diagnostics;

namespace SafetyNet.Bench.Measurement;

/// <summary>
/// Closed-loop load: each caller issues one operation, waits for it, and issues the next, until the time is up. Every
/// operation is timed with <see cref="Stopwatch"/>; a warm-up of the same shape runs first and is not recorded.
/// </summary>
public static class LoadRunner
{
    /// <param name="operation">Called with (caller index, that caller's sequence number).</param>
    public static async Task<LatencySummary> RunAsync(int callers, TimeSpan warmUp, TimeSpan duration, Func<int, long, ValueTask> operation)
    {
        await RunCallersAsync(callers, warmUp, operation);
        return await RunCallersAsync(callers, duration, operation);
    }

    /// <summary>Runs the callers once for <paramref name="duration"/> and summarises what they recorded.</summary>
    public static async Task<LatencySummary> RunCallersAsync(int callers, TimeSpan duration, Func<int, long, ValueTask> operation)
    {
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var latencies = new List<long>(capacity: 1 << 16);
            for (long sequence = 0; ; sequence++)
            {
                var before = Stopwatch.GetTimestamp();
                if (before >= deadline) return latencies;
                await operation(caller, sequence);
                latencies.Add(Stopwatch.GetTimestamp() - before);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        return LatencySummary.From(callers, perCaller.SelectMany(l => l).ToArray(), elapsed, cpu) with
        {
            AllocatedBytes = GC.GetTotalAllocatedBytes() - allocatedBefore,
        };
    }
}
