using System.Diagnostics;
using System.Runtime;

namespace SafetyNet.Bench.Measurement;

/// <summary>
/// Garbage collections in this process since <see cref="Start"/>: how many of each generation, and how long the runtime
/// paused every thread for them. A latency percentile that moves in bursts is often these pauses.
/// </summary>
public sealed class GcActivity
{
    private readonly int[] _collectionsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _pausedAtStart = GC.GetTotalPauseDuration();
    private readonly long _startedTimestamp = Stopwatch.GetTimestamp();

    public static GcActivity Start() => new();

    public string Describe()
    {
        var paused = GC.GetTotalPauseDuration() - _pausedAtStart;
        var elapsed = Stopwatch.GetElapsedTime(_startedTimestamp);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return $"{GC.CollectionCount(0) - _collectionsAtStart[0]} gen0, {GC.CollectionCount(1) - _collectionsAtStart[1]} gen1 and " +
               $"{GC.CollectionCount(2) - _collectionsAtStart[2]} gen2 collections ({(GCSettings.IsServerGC ? "server" : "workstation")} GC), " +
               $"threads paused {paused.TotalMilliseconds:N0} ms in all ({paused / elapsed:P1} of {elapsed.TotalSeconds:F0} s); " +
               $"the last collection paused {info.PauseDurations[0].TotalMilliseconds:F1} ms with {info.HeapSizeBytes / 1_048_576.0:N0} MB of heap";
    }
}
