using System.Diagnostics;

namespace SafetyNet.Bench.Measurement;

/// <summary>
/// What one measured run amounted to: operations completed, their rate, latency percentiles (nearest rank), and how
/// many cores this process kept busy meanwhile (near the core count means CPU-bound; well below means waiting), and how
/// much it allocated on the managed heap, on every thread (the grains', the ledger writer's and the callers' own).
/// </summary>
public sealed record LatencySummary(int Callers, long Operations, TimeSpan Elapsed, TimeSpan ProcessCpu, double P50Ms, double P99Ms, double MaxMs)
{
    public long AllocatedBytes { get; init; }

    public double KilobytesAllocatedPerOperation => AllocatedBytes / 1024.0 / Operations;

    public double OperationsPerSecond => Operations / Elapsed.TotalSeconds;

    public double CpuCores => ProcessCpu / Elapsed;

    public static LatencySummary From(int callers, long[] latencyTicks, TimeSpan elapsed, TimeSpan processCpu)
    {
        if (latencyTicks.Length == 0) throw new InvalidOperationException("The run completed no operations.");
        Array.Sort(latencyTicks);
        return new LatencySummary(callers, latencyTicks.Length, elapsed, processCpu,
            Milliseconds(Percentile(latencyTicks, 0.50)), Milliseconds(Percentile(latencyTicks, 0.99)), Milliseconds(latencyTicks[^1]));
    }

    private static long Percentile(long[] sorted, double quantile) =>
        sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
