using System.Diagnostics;
using System.Runtime;

namespace SafetyNet.Bench.Measurement;

/// <summary>
/// Garbage collections in this process since <see cref="Start"/>: how many of each generation, and how long the runtime
/// paused every thread for them, in all and per window of the run (sampled every <see cref="SampleEvery"/>). A latency
/// percentile that moves in bursts is often these pauses, and the window shows whether a slow one holds them.
/// </summary>
public sealed class GcActivity : IDisposable
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private readonly int[] _collectionsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _pausedAtStart = GC.GetTotalPauseDuration();
    private readonly long _startedTimestamp = Stopwatch.GetTimestamp();
    private readonly List<(TimeSpan At, TimeSpan Paused, int Gen2)> _samples = [];
    private readonly Timer _sampler;

    private GcActivity() => _sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, SampleEvery);

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

    /// <summary>Pause time and gen2 collections in each window of the run, e.g. "0–10 s: 210 ms (0 gen2)".</summary>
    public string ByWindow(TimeSpan window, int windows)
    {
        List<(TimeSpan At, TimeSpan Paused, int Gen2)> samples;
        lock (_samples) samples = [.. _samples];
        var parts = new List<string>();
        for (var i = 0; i < windows; i++)
        {
            var from = window * i;
            var to = window * (i + 1);
            var inside = samples.Where(s => s.At >= from && s.At < to).ToList();
            if (inside.Count < 2) break;
            var before = samples.LastOrDefault(s => s.At < from, inside[0]);
            var paused = inside[^1].Paused - before.Paused;
            parts.Add($"{from.TotalSeconds:F0}–{to.TotalSeconds:F0} s: {paused.TotalMilliseconds:N0} ms ({inside[^1].Gen2 - before.Gen2} gen2)");
        }
        return string.Join("; ", parts);
    }

    public void Dispose() => _sampler.Dispose();

    private void Sample()
    {
        var sample = (Stopwatch.GetElapsedTime(_startedTimestamp), GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        lock (_samples) _samples.Add(sample);
    }
}
