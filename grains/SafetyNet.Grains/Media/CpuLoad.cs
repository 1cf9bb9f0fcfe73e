using System.Globalization;

namespace SafetyNet.Grains.Media;

/// <summary>How busy the CPUs this node runs on have been over the last few seconds, as a share of them (0–1); null when unknown.</summary>
public interface ICpuLoad
{
    double? RecentShare { get; }
}

/// <summary>
/// Reads this node's CPU use once a second and keeps the share of the last <see cref="WindowSeconds"/> seconds. In a
/// container under cgroup v2 it counts the container's own use against the cores it may use (what
/// <see cref="Environment.ProcessorCount"/> reports, which follows a CPU limit); elsewhere the machine's, from /proc/stat.
/// The node's ffmpeg relays are counted either way, which the process's own CPU time would not show.
/// </summary>
public sealed class CpuLoad : ICpuLoad, IDisposable
{
    public const int WindowSeconds = 3;

    private readonly Func<CpuReading?> _read;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly Queue<CpuReading> _readings = new();

    public CpuLoad(TimeProvider time) : this(time, CpuReadings.ForThisProcess(time)) { }

    public CpuLoad(TimeProvider time, Func<CpuReading?> read)
    {
        _read = read;
        Sample();
        _timer = time.CreateTimer(_ => Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public double? RecentShare
    {
        get
        {
            lock (_gate) return _readings.Count < 2 ? null : CpuReading.ShareBetween(_readings.Peek(), _readings.Last());
        }
    }

    private void Sample()
    {
        if (_read() is not { } reading) return;
        lock (_gate)
        {
            _readings.Enqueue(reading);
            while (_readings.Count > WindowSeconds + 1) _readings.Dequeue();
        }
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>Cumulative CPU time spent busy, and the cumulative capacity it is measured against, in one unit.</summary>
public readonly record struct CpuReading(long Busy, long Capacity)
{
    /// <summary>The share of the capacity used between two readings; null when no capacity passed or a counter went back.</summary>
    public static double? ShareBetween(CpuReading earlier, CpuReading later)
    {
        var capacity = later.Capacity - earlier.Capacity;
        var busy = later.Busy - earlier.Busy;
        if (capacity <= 0 || busy < 0) return null;
        return Math.Clamp((double)busy / capacity, 0, 1);
    }
}

/// <summary>Where <see cref="CpuLoad"/> reads from, and the two formats it reads.</summary>
public static class CpuReadings
{
    public static Func<CpuReading?> ForThisProcess(TimeProvider time)
    {
        if (CgroupCpuStat() is { } cpuStat)
        {
            var cores = Environment.ProcessorCount;
            return () => ReadFile(cpuStat) is { } text && CgroupUsageMicros(text) is { } used
                ? new CpuReading(used, (long)(time.GetTimestamp() * 1_000_000.0 / time.TimestampFrequency) * cores)
                : null;
        }
        return () => ReadFile("/proc/stat") is { } text ? ProcStat(text) : null;
    }

    /// <summary>The first line of /proc/stat: jiffies per state since boot; idle and iowait are not busy.</summary>
    public static CpuReading? ProcStat(string text)
    {
        var line = text.AsSpan(0, text.IndexOf('\n') is var end and >= 0 ? end : text.Length);
        var fields = line.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[0] != "cpu") return null;
        long total = 0, idle = 0;
        // guest and guest_nice (fields 9 and 10) are already counted in user and nice; steal (8) is time this VM could not have.
        for (var i = 1; i < Math.Min(fields.Length, 9); i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var jiffies)) return null;
            total += jiffies;
            if (i is 4 or 5) idle += jiffies;
        }
        return new CpuReading(total - idle, total);
    }

    /// <summary>cgroup v2's cpu.stat: the "usage_usec" line.</summary>
    public static long? CgroupUsageMicros(string text)
    {
        foreach (var line in text.Split('\n'))
            if (line.StartsWith("usage_usec ", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan("usage_usec ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var micros))
                return micros;
        return null;
    }

    /// <summary>This process's cgroup v2 cpu.stat ("0::/path" in /proc/self/cgroup), when the unified hierarchy is mounted and has one.</summary>
    private static string? CgroupCpuStat()
    {
        if (ReadFile("/proc/self/cgroup") is not { } cgroups) return null;
        foreach (var line in cgroups.Split('\n'))
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                var path = Path.Combine("/sys/fs/cgroup", line[3..].Trim().TrimStart('/'), "cpu.stat");
                return File.Exists(path) ? path : null;
            }
        return null;
    }

    private static string? ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
