using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SafetyNet.Bench.Measurement;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Listens to the node's own histogram of an incident opening's stages (<c>safetynet.incident.open.stage.duration</c>, the
/// one on /metrics) and reports each stage's p99 per window: which stage a slow window's openings waited in.
/// </summary>
public sealed class OpeningStages : IDisposable
{
    private const string Instrument = "safetynet.incident.open.stage.duration";
    private readonly ConcurrentQueue<(string Stage, long At, double Milliseconds)> _samples = new();
    private readonly MeterListener _listener = new();

    private OpeningStages()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SafetyNetMetrics.MeterName && instrument.Name == Instrument) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, milliseconds, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "stage") _samples.Enqueue(((string)tag.Value!, Stopwatch.GetTimestamp(), milliseconds));
        });
        _listener.Start();
    }

    public static OpeningStages Listen() => new();

    /// <summary>One row per stage: its p99 in each window from <paramref name="start"/>, in ms.</summary>
    public MarkdownTable ByWindow(long start, TimeSpan window, int windows)
    {
        var ticks = (long)(window.TotalSeconds * Stopwatch.Frequency);
        var table = new MarkdownTable(["stage (p99 ms)", .. Enumerable.Range(0, windows).Select(w => $"{w * window.TotalSeconds:F0}–{(w + 1) * window.TotalSeconds:F0} s")]);
        foreach (var stage in _samples.Where(s => s.At >= start).GroupBy(s => s.Stage))
        {
            var byWindow = stage.GroupBy(s => (int)((s.At - start) / ticks)).ToDictionary(w => w.Key, w => w.Select(s => s.Milliseconds).Order().ToArray());
            table.Add([stage.Key, .. Enumerable.Range(0, windows).Select(w => byWindow.TryGetValue(w, out var sorted) ? (object)sorted[(int)(sorted.Length * 0.99)] : "—")]);
        }
        return table;
    }

    public void Dispose() => _listener.Dispose();
}
