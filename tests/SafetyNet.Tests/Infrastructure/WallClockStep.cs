using System.Diagnostics;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// How far the machine's wall clock has stepped since a start, beyond the time that really passed (measured on the
/// monotonic clock). A test whose expectation is in wall-clock time reads it to tell a product fault from a runner's step.
/// </summary>
public sealed class WallClockStep
{
    private readonly DateTimeOffset _wallAtStart = DateTimeOffset.UtcNow;
    private readonly long _ticksAtStart = Stopwatch.GetTimestamp();

    public static WallClockStep Start() => new();

    public TimeSpan StepSoFar()
    {
        var passed = Stopwatch.GetElapsedTime(_ticksAtStart);
        var step = DateTimeOffset.UtcNow - _wallAtStart - passed;
        return step.Duration() < TimeSpan.FromMilliseconds(500) ? TimeSpan.Zero : step;
    }
}
