using System.ComponentModel;
using System.Diagnostics;

namespace SafetyNet.Grains.Media;

/// <summary>What one more encode is expected to cost a node: what its running encodes have cost, each over its run so far.</summary>
internal static class EncodeCost
{
    /// <summary>A run younger than this has not shown what it costs yet (connecting, probing, the encoder's start).</summary>
    public static readonly TimeSpan MinimumRunAge = TimeSpan.FromSeconds(2);

    /// <summary>The mean cores the processes used since they started, as a share of this node's cores; null when none has run long enough.</summary>
    public static double? MeanShareOf(IEnumerable<int> processIds)
    {
        var cores = processIds.Select(CoresUsedBy).OfType<double>().ToList();
        return cores.Count == 0 ? null : cores.Average() / Environment.ProcessorCount;
    }

    private static double? CoresUsedBy(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            var age = DateTime.Now - process.StartTime;
            return age < MinimumRunAge ? null : process.TotalProcessorTime / age;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception)
        {
            return null; // it ended since
        }
    }
}
