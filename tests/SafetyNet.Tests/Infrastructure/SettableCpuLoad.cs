using SafetyNet.Grains.Media;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>A node's CPU load as a test sets it: the test suite's own load on the machine would make the real one meaningless.</summary>
public sealed class SettableCpuLoad : ICpuLoad
{
    public double? RecentShare { get; set; }
}
