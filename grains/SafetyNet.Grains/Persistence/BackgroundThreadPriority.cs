using System.Runtime.InteropServices;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// Lowers the CPU priority of the calling thread (Linux niceness), as storage engines do for their compaction threads:
/// work that can wait, such as indexing, then runs on what the node's acknowledged work leaves and catches up when load
/// falls. On Linux <c>setpriority(PRIO_PROCESS, 0, n)</c> applies to the calling thread only; elsewhere this does nothing.
/// </summary>
internal static class BackgroundThreadPriority
{
    private const int PrioProcess = 0;
    private const int Niceness = 10;

    public static void LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux()) _ = SetPriority(PrioProcess, 0, Niceness);
    }

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
}
