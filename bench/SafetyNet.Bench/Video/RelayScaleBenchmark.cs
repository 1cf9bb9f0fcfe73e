using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Grains.Media;

namespace SafetyNet.Bench.Video;

/// <summary>
/// How many copy relays one node holds: cameras leased in steps (each an ffmpeg pulling the RTSP test camera), then the
/// target held for minutes, then further steps until delivery degrades. Every 10 s: the relays' CPU and proportional
/// memory, the node's memory, relay restarts (an ffmpeg replaced = a dropped upstream) and delivery (do sampled live
/// playlists advance a segment a second?).
/// </summary>
public static class RelayScaleBenchmark
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(40);
    private const int CameraPaths = 4;
    private const int LeasesPerSession = 20;
    private const int DeliverySample = 20;

    public static async Task RunAsync(string[] args)
    {
        var target = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var hold = TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300);
        var step = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
        var beyond = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100;
        // ffmpeg's HLS muxer holds about 9 KB per listed segment, so a relay's memory grows until its rewind window is full;
        // a window shorter than the hold shows the plateau after it.
        var rewindWindow = TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 900);
        var stepTime = TimeSpan.FromSeconds(30);
        Console.WriteLine($"## relays: copy relays on one node — steps of {step} to {target}, {target} held {hold.TotalSeconds:F0} s, then up to {target + beyond}; rewind window {rewindWindow.TotalSeconds:F0} s\n");
        var machine = MachineLoad.Start();

        var paths = Enumerable.Range(1, CameraPaths).Select(i => $"scale{i}").ToArray();
        await using var camera = await TestCameraServer.StartAsync(paths);
        var maxRelays = target + beyond;
        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?>
        {
            ["Demo:Cameras"] = "0",
            // The RTSP test camera listens on loopback, which the stream URL policy refuses unless allowed.
            ["Media:StreamUrls:AllowLoopback"] = "true",
            ["Leases:PrewarmCount"] = "0",
            ["Leases:UpstreamCapPerDistrict"] = (maxRelays + 10).ToString(CultureInfo.InvariantCulture),
            ["Media:RewindWindow"] = rewindWindow.ToString(),
        });
        var nodeTag = node.Services.GetRequiredService<IOptions<MediaOptions>>().Value.NodeTag;
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var admin = await NodeApi.TokenAsync(http, "safetynet-ops", "bench", "platform-admin");
        var cameras = Enumerable.Range(0, maxRelays)
            .Select(i => new NodeApi.BenchCamera($"bench-scale-{i:D3}", 37.5600 + i % 20 * 0.0001, 126.9900 + i / 20 * 0.0001, camera.Url(paths[i % CameraPaths])))
            .ToArray();
        await NodeApi.ImportAsync(http, admin, cameras);
        Console.WriteLine($"RTSP test camera (pid {camera.ProcessId}): {CameraPaths} paths shared by all relays, 15 fps, 640x360, keyframe every 1 s. Node tag {nodeTag}.\n");

        var leased = new List<Viewer>();
        var sessions = new List<string>();
        var table = new MarkdownTable("t s", "phase", "relays leased", "ffmpeg running", "relays % of a core", "% per relay", "Pss MB per relay",
            "node % of a core", "node RSS MB", "node GC heap MB", "restarts since last", "playlists advancing", "test camera % of a core");
        var monitor = new Monitor(http, nodeTag, camera.ProcessId);
        var started = Stopwatch.GetTimestamp();
        var lastRenewal = Stopwatch.GetTimestamp();

        async Task LeaseUpToAsync(int count)
        {
            while (leased.Count < count)
            {
                if (leased.Count % LeasesPerSession == 0) sessions.Add(await NodeApi.SessionAsync(http, "seoul-112", $"bench-scale-{sessions.Count}"));
                var c = cameras[leased.Count];
                var (leaseId, playlistUrl) = await NodeApi.LeaseAsync(http, sessions[^1], c.Id);
                leased.Add(new Viewer(c.Id, leaseId, playlistUrl, sessions[^1]));
            }
        }

        async Task RunPhaseAsync(string phase, TimeSpan length)
        {
            // The baseline once every leased relay's ffmpeg runs, so a late start is not counted as a restart.
            await NodeApi.WaitAsync(() => TaggedProcesses.FindForNode(nodeTag).Count >= leased.Count, TimeSpan.FromSeconds(30));
            var phaseStart = Stopwatch.GetTimestamp();
            await monitor.SampleAsync(leased, record: null);
            while (Stopwatch.GetElapsedTime(phaseStart) < length)
            {
                await Task.Delay(SampleEvery);
                if (Stopwatch.GetElapsedTime(lastRenewal) >= RenewEvery)
                {
                    foreach (var v in leased)
                        using (var _ = await NodeApi.SendAsync(http, HttpMethod.Post, $"/api/v1/leases/{v.LeaseId}/renew", v.Session)) { }
                    lastRenewal = Stopwatch.GetTimestamp();
                }
                await monitor.SampleAsync(leased, s => table.Add(Stopwatch.GetElapsedTime(started).TotalSeconds, phase, leased.Count, s.Running,
                    s.RelayCpu, s.Running > 0 ? s.RelayCpu / s.Running : 0, s.PssMbPerRelay, s.NodeCpu, Environment.WorkingSet / 1e6, GC.GetTotalMemory(false) / 1e6,
                    s.Restarts, $"{s.Advancing}/{s.Sampled}", s.CameraCpu));
            }
        }

        for (var count = step; count < target; count += step)
        {
            await LeaseUpToAsync(count);
            await RunPhaseAsync($"ramp {count}", stepTime);
        }
        await LeaseUpToAsync(target);
        await RunPhaseAsync($"hold {target}", hold);
        for (var count = target + step; count <= maxRelays; count += step)
        {
            await LeaseUpToAsync(count);
            await RunPhaseAsync($"beyond {count}", stepTime);
        }
        Console.WriteLine(table);
        Console.WriteLine("Restarts: ffmpeg processes of this node that appeared after the phase's first sample (each replaces one that died: a dropped upstream).");
        Console.WriteLine("Playlists advancing: of up to 20 sampled leased cameras read at the previous sample too, those whose live playlist's media sequence rose by at least 80 % of the seconds elapsed.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()} (ffmpeg relays and the test camera are child processes, counted as others).\n");
    }

    private sealed record Viewer(string CameraId, string LeaseId, string PlaylistUrl, string Session);

    private sealed record Sample(int Running, double RelayCpu, double PssMbPerRelay, int Restarts, int Advancing, int Sampled, double CameraCpu, double NodeCpu);

    private sealed class Monitor(HttpClient http, string nodeTag, int cameraPid)
    {
        private Dictionary<int, long> _ticks = [];
        private readonly Dictionary<string, long> _sequence = [];
        private long _cameraTicks;
        private TimeSpan _nodeCpu = Process.GetCurrentProcess().TotalProcessorTime;
        private long _at = Stopwatch.GetTimestamp();

        public async Task SampleAsync(IReadOnlyList<Viewer> leased, Action<Sample>? record)
        {
            var seconds = Stopwatch.GetElapsedTime(_at).TotalSeconds;
            _at = Stopwatch.GetTimestamp();
            var pids = TaggedProcesses.FindForNode(nodeTag);
            var ticks = pids.ToDictionary(p => p, ProcessStats.Ticks);
            var restarts = ticks.Keys.Count(p => !_ticks.ContainsKey(p));
            var used = ticks.Where(t => _ticks.ContainsKey(t.Key)).Sum(t => t.Value - _ticks[t.Key]);
            var cameraTicks = ProcessStats.TreeTicks(cameraPid);
            var cameraUsed = cameraTicks - _cameraTicks;
            _ticks = ticks;
            _cameraTicks = cameraTicks;
            // The node runs in this process: its CPU is this process's, the harness's few requests included.
            var nodeCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var nodeUsed = (nodeCpu - _nodeCpu).TotalSeconds / seconds * 100;
            _nodeCpu = nodeCpu;
            var pss = pids.Count == 0 ? 0 : pids.Average(p => ProcessStats.PssKilobytes(p)) / 1024;

            // Only cameras with an earlier reading count: a relay that just started has nothing to advance from.
            var (advancing, compared) = (0, 0);
            foreach (var v in leased.Where((_, i) => i % Math.Max(1, leased.Count / DeliverySample) == 0).Take(DeliverySample))
            {
                var sequence = await MediaSequenceAsync(v.PlaylistUrl);
                if (_sequence.TryGetValue(v.CameraId, out var before))
                {
                    compared++;
                    if (sequence is { } now && now - before >= 0.8 * seconds) advancing++;
                }
                if (sequence is { } s) _sequence[v.CameraId] = s;
            }
            record?.Invoke(new Sample(pids.Count, used / ProcessStats.ClockTicksPerSecond / seconds * 100, pss, restarts, advancing, compared,
                cameraUsed / ProcessStats.ClockTicksPerSecond / seconds * 100, nodeUsed));
        }

        private async Task<long?> MediaSequenceAsync(string playlistUrl)
        {
            using var response = await http.GetAsync(playlistUrl);
            if (!response.IsSuccessStatusCode) return null;
            const string Tag = "#EXT-X-MEDIA-SEQUENCE:";
            var line = (await response.Content.ReadAsStringAsync()).Split('\n').FirstOrDefault(l => l.StartsWith(Tag, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[Tag.Length..].Trim(), CultureInfo.InvariantCulture);
        }
    }
}
