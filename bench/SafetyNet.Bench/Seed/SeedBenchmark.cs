using System.Net;
using System.Text.Json;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;

namespace SafetyNet.Bench.Seed;

/// <summary>
/// Starts the node executable on an empty data directory and measures how long until /health/ready reports Healthy,
/// the seeder's own timing, and the process's resident memory when ready and after 10 s idle.
/// </summary>
public static class SeedBenchmark
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    public static async Task RunAsync()
    {
        Console.WriteLine($"## seed: node process, empty data directory, {BenchNodeSettings.Cameras:N0}-camera demo city\n");
        var machine = MachineLoad.Start();
        var siloDll = FindSiloDll();
        Console.WriteLine($"Node: dotnet {Path.GetRelativePath(RepositoryPaths.Root, siloDll)}\n");
        var dataDirectory = BenchNodeSettings.NewDataDirectory();
        var httpPort = FreePorts.Next();
        try
        {
            using var node = NodeProcess.Start(siloDll, httpPort, BenchNodeSettings.For(dataDirectory));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
            var (readyAfter, camerasWhenReady) = await WaitUntilReadyAsync(node, http);
            var rssReady = node.ReadMemoryMegabytes("VmRSS");
            var seeded = await node.Seeded.WaitAsync(TimeSpan.FromMinutes(1));
            await Task.Delay(Idle);
            var rssIdle = node.ReadMemoryMegabytes("VmRSS");
            var rssPeak = node.ReadMemoryMegabytes("VmHWM");

            Console.WriteLine("### Seeding the demo city in a fresh node\n");
            Console.WriteLine(new MarkdownTable("start → ready s", "cameras indexed when ready", "start → 'seeded' log s",
                    "seeder's own figure s", "RSS at ready MB", $"RSS after {Idle.TotalSeconds:F0} s idle MB", "peak RSS MB")
                .Add(readyAfter.TotalSeconds, camerasWhenReady, seeded.SeenAfter.TotalSeconds, seeded.SeederSeconds, rssReady, rssIdle, rssPeak));
            Console.WriteLine("Target (design.md): register 68,000 cameras ≤ 20 s; node RSS ≤ 600 MB afterwards.\n");
            Console.WriteLine($"Machine during the run: {machine.Describe(node.ProcessId)}\n");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>The Release build if there is one, else the Debug build.</summary>
    private static string FindSiloDll() =>
        new[] { "Release", "Debug" }
            .Select(configuration => Path.Combine(RepositoryPaths.SiloDirectory, "bin", configuration, "net10.0", "SafetyNet.Silo.dll"))
            .FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("The node is not built: run `dotnet build silo -c Release` first.");

    private static async Task<(TimeSpan ReadyAfter, int Cameras)> WaitUntilReadyAsync(NodeProcess node, HttpClient http)
    {
        while (node.SinceStart < ReadyTimeout)
        {
            if (node.HasExited) throw new InvalidOperationException($"The node exited before it was ready:\n{node.RecentErrors}");
            if (await TryReadReadyAsync(http) is { } cameras) return (node.SinceStart, cameras);
            await Task.Delay(PollInterval);
        }
        throw new TimeoutException($"The node was not ready within {ReadyTimeout.TotalSeconds:F0} s.");
    }

    /// <summary>The indexed camera count if /health/ready says Healthy; null while it does not (or does not answer yet).</summary>
    private static async Task<int?> TryReadReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/health/ready");
            if (response.StatusCode != HttpStatusCode.OK) return null;
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (report.RootElement.GetProperty("status").GetString() != "Healthy") return null;
            return report.RootElement.GetProperty("checks").EnumerateObject()
                .Select(check => check.Value.GetProperty("data"))
                .Where(data => data.TryGetProperty("cameras", out _))
                .Select(data => data.GetProperty("cameras").GetInt32())
                .Single();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
