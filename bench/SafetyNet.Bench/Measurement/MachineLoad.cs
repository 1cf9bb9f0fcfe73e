namespace SafetyNet.Bench.Measurement;

/// <summary>How busy the machine was: the 1-minute load average and whether a test run (another heavy user) was going on.</summary>
public static class MachineLoad
{
    public static string Describe()
    {
        var loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        return $"load average (1 min) {loadAverage}, {Environment.ProcessorCount} cores, test run in progress: {(TestRunInProgress() ? "yes" : "no")}";
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
