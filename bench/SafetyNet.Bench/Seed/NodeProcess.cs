using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SafetyNet.Bench.Seed;

/// <summary>
/// The node executable started as its own process with configuration in environment variables. It watches the log for
/// the seeder's "Demo city seeded in X s" line and reads the process's memory from /proc. Disposing kills it.
/// </summary>
public sealed partial class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly long _startedTimestamp;
    private readonly TaskCompletionSource<SeededLine> _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _recentErrors = new();

    private NodeProcess(Process process, long startedTimestamp)
    {
        _process = process;
        _startedTimestamp = startedTimestamp;
    }

    /// <summary>When the seeder logged that it finished: its own figure, and when the line arrived (since process start).</summary>
    public Task<SeededLine> Seeded => _seeded.Task;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string RecentErrors
    {
        get { lock (_recentErrors) return string.Join(Environment.NewLine, _recentErrors); }
    }

    public static NodeProcess Start(string siloDll, int httpPort, IReadOnlyDictionary<string, string?> configuration)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(siloDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(siloDll);
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        foreach (var (key, value) in configuration) startInfo.Environment[key.Replace(":", "__")] = value;

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start.");
        var node = new NodeProcess(process, started);
        process.OutputDataReceived += (_, e) => node.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnError(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    public TimeSpan SinceStart => Stopwatch.GetElapsedTime(_startedTimestamp);

    /// <summary>A size field of /proc/PID/status (VmRSS, VmHWM, ...) in megabytes.</summary>
    public double ReadMemoryMegabytes(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        var kilobytes = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        if (SeededPattern().Match(line) is { Success: true } match)
            _seeded.TrySetResult(new SeededLine(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), SinceStart));
    }

    private void OnError(string? line)
    {
        if (line is null) return;
        lock (_recentErrors)
        {
            _recentErrors.Enqueue(line);
            if (_recentErrors.Count > 20) _recentErrors.Dequeue();
        }
    }

    [GeneratedRegex(@"Demo city seeded in ([0-9]+(?:\.[0-9]+)?) s")]
    private static partial Regex SeededPattern();

    public sealed record SeededLine(double SeederSeconds, TimeSpan SeenAfter);
}
