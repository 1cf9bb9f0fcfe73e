using System.Diagnostics;

namespace SafetyNet.Bench.Measurement;

/// <summary>
/// How much of the machine other processes took while a benchmark ran: busy CPU time from /proc/stat, less this
/// process's own (and the node's, when it runs as a child), averaged over the wall time; and whether a test run was seen.
/// </summary>
public sealed class MachineLoad
{
    private const double ClockTicksPerSecond = 100;

    private readonly long _startedTimestamp = Stopwatch.GetTimestamp();
    private readonly long _machineBusyAtStart = MachineBusyTicks();
    private readonly long _oursAtStart = ProcessTicks(Environment.ProcessId);
    private readonly bool _testRunAtStart = TestRunInProgress();

    public static MachineLoad Start() => new();

    /// <param name="childProcessId">A process this benchmark started (which began after <see cref="Start"/>), counted as ours.</param>
    public string Describe(int? childProcessId = null)
    {
        var ours = ProcessTicks(Environment.ProcessId) - _oursAtStart + (childProcessId is { } child ? ProcessTicks(child) : 0);
        var others = MachineBusyTicks() - _machineBusyAtStart - ours;
        var seconds = Stopwatch.GetElapsedTime(_startedTimestamp).TotalSeconds;
        var testRun = _testRunAtStart || TestRunInProgress();
        return $"other processes used {Math.Max(0, others) / ClockTicksPerSecond / seconds:F2} of {Environment.ProcessorCount} cores " +
               $"on average over {seconds:F0} s; test run seen: {(testRun ? "yes" : "no")}";
    }

    /// <summary>user + nice + system + irq + softirq + steal over all CPUs, in clock ticks.</summary>
    private static long MachineBusyTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(fields[i]));
    }

    /// <summary>utime + stime of one process, in clock ticks (the command name may hold spaces, so parse after its ')').</summary>
    private static long ProcessTicks(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    private static bool TestRunInProgress() =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out var pid) && pid != Environment.ProcessId)
            .Select(ReadCommandLine)
            .Any(command => command.Contains("dotnet test") || command.Contains("testhost"));

    private static string ReadCommandLine(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
