namespace SafetyNet.Bench.Measurement;

/// <summary>What /proc tells about other processes: CPU ticks and proportional memory.</summary>
public static class ProcessStats
{
    public const double ClockTicksPerSecond = 100;

    /// <summary>utime + stime in clock ticks, 0 once the process is gone.</summary>
    public static long Ticks(int processId)
    {
        try
        {
            return TicksFrom(File.ReadAllText($"/proc/{processId}/stat")).Ticks;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The process and its direct children (the test camera's GStreamer work may run in the python process itself).</summary>
    public static long TreeTicks(int processId)
    {
        var total = Ticks(processId);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == processId) continue;
            try
            {
                var (parent, ticks) = TicksFrom(File.ReadAllText(Path.Combine(directory, "stat")));
                if (parent == processId) total += ticks;
            }
            catch (IOException) { }
        }
        return total;
    }

    /// <summary>Proportional set size in kB (shared pages divided among their users), 0 once the process is gone.</summary>
    public static long PssKilobytes(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/smaps_rollup"))
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>utime + stime of this process, with cutime + cstime: the children it has waited for (ffmpeg runs that ended).</summary>
    public static long OwnTicksWithEndedChildren()
    {
        var fields = OwnStatFields();
        return long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
    }

    /// <summary>Processes named <paramref name="name"/> running now, and their resident memory in kB.</summary>
    public static (int Count, long RssKilobytes) Named(string name)
    {
        var (count, rss) = (0, 0L);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "comm")).Trim() != name) continue;
                count++;
                foreach (var line in File.ReadLines(Path.Combine(directory, "status")))
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
            catch (IOException) { }
        }
        return (count, rss);
    }

    private static string[] OwnStatFields()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static (int Parent, long Ticks) TicksFrom(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12]));
    }
}
