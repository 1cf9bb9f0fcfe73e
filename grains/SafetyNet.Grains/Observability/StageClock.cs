using System.Diagnostics;

namespace SafetyNet.Grains.Observability;

/// <summary>Times the stages of one operation, one after another: each <see cref="Lap"/> records the time since the previous one.</summary>
public sealed class StageClock(Action<string, double> record)
{
    private long _last = Stopwatch.GetTimestamp();

    public void Lap(string stage)
    {
        var now = Stopwatch.GetTimestamp();
        record(stage, Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds);
        _last = now;
    }
}
