using System.Diagnostics;
using System.Diagnostics.Metrics;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Bench.Measurement;

/// <summary>How often the node's statements found SQLite's write lock held and waited, while a benchmark phase ran.</summary>
public sealed class LockWaits : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _waits;

    private LockWaits()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DatabaseMetrics.MeterName && instrument.Name == DatabaseMetrics.LockWaitsName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _waits, value));
        _listener.Start();
    }

    public static LockWaits Start() => new();

    public string Describe()
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var waits = Interlocked.Read(ref _waits);
        return $"{waits:N0} statements waited for SQLite's write lock ({waits / seconds:N0}/s)";
    }

    public void Dispose() => _listener.Dispose();
}
