using System.Diagnostics;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// How far the machine's wall clock has stepped since a start, beyond the time that really passed (by the node's own rule,
/// <see cref="WallClockWatch.StepBetween"/>). A test whose expectation is in wall-clock time reads it to tell a product fault
/// from a runner's step.
/// </summary>
public sealed class WallClockStep
{
    private readonly DateTimeOffset _wallAtStart = DateTimeOffset.UtcNow;
    private readonly long _ticksAtStart = Stopwatch.GetTimestamp();

    public static WallClockStep Start() => new();

    public TimeSpan StepSoFar() => WallClockWatch.StepBetween(_wallAtStart, DateTimeOffset.UtcNow, Stopwatch.GetElapsedTime(_ticksAtStart));
}
