namespace SafetyNet.Grains.Observability;

/// <summary>
/// A step of the node's wall clock, as <see cref="WallClockWatch"/> found it: <paramref name="Size"/> beyond the time that
/// passed (positive forward), somewhere after its last look, which read <paramref name="ReadBefore"/> on the wall clock and
/// <paramref name="TimestampBefore"/> on the monotonic one (<see cref="TimeProvider.GetTimestamp"/>).
/// </summary>
public sealed record ClockStep(TimeSpan Size, DateTimeOffset ReadBefore, long TimestampBefore);
