using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Bench.Decisions;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Media;

namespace SafetyNet.Bench.Video;

/// <summary>
/// What cameras that went dark together cost the node that tries them again: a power cut takes a district's cameras
/// offline at once, their relays report them offline, and each is tried for a snapshot after Media:OfflineRecheck and then
/// less often. The dead cameras answer nothing (a loopback port that never accepts: the node waits out its timeouts, as for
/// a camera with no power). Reports, while audited decisions arrive at a fixed rate: the snapshots tried, the ffmpeg
/// processes running at once and their memory, the node's CPU (ended ffmpeg runs included), and the decisions' latency,
/// before the cut and during it. With "hung" the cameras take a connection and then say nothing (a camera whose firmware
/// hangs): each recheck then needs an ffmpeg, and waits its turn among Media:OfflineRecheckConcurrency.
/// </summary>
public static class OfflineRecheckBenchmark
{
    private const int DecisionCallers = 8;

    public static async Task RunAsync(string[] args)
    {
        var cameras = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var decisionRate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
        var hung = args.Length > 3 && args[3] == "hung";
        var recheck = TimeSpan.FromSeconds(5);
        Console.WriteLine($"## recheck: {cameras} cameras go {(hung ? "silent (connections taken, nothing said)" : "dark (no connection taken)")} at once; Media:OfflineRecheck {recheck.TotalSeconds:F0} s (max 60 s); {decisionRate:N0} decisions/s " +
                          $"(open loop, {DecisionCallers} callers) for {seconds} s\n");
        var machine = MachineLoad.Start();
        using var dead = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        dead.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        dead.Listen(hung ? 4096 : 1);
        using var stopHolding = new CancellationTokenSource();
        var held = hung ? HoldConnectionsAsync(dead, stopHolding.Token) : Task.CompletedTask;
        var deadUrl = $"rtsp://127.0.0.1:{((IPEndPoint)dead.LocalEndPoint!).Port}/dark";
        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?>
        {
            ["Media:OfflineRecheck"] = recheck.ToString(),
            ["Media:OfflineRecheckMax"] = "00:01:00",
            ["Media:StreamUrls:AllowLoopback"] = "true",
            ["Leases:PrewarmCount"] = "0",
        });
        var relays = node.Services.GetRequiredService<RelayHost>();
        var agency = await node.Grains.GetGrain<IAgencyGrain>("seoul-112").GetAsync() ?? throw new InvalidOperationException("No agency seoul-112.");
        var cameraIds = DecisionBenchmark.ShuffledCameraIds();
        var decided = cameraIds[..2_000];
        var paths = new DecisionPaths(node.Grains, node.Services.GetRequiredService<IAuditLedger>(), agency);
        var decide = await paths.ThroughSessionsAsync("recheck", DecisionCallers, () => decided[Random.Shared.Next(decided.Length)]);
        await PacedLoad.RunAsync(DecisionCallers, decide, decisionRate, TimeSpan.FromSeconds(5));

        var table = new MarkdownTable("phase", "seconds", "rechecks not connected", "recheck snapshots", "waiting for a slot at the end", "ffmpeg at once (peak)", "ffmpeg memory at peak MB", "node CPU cores (with ended ffmpeg)",
            "decisions/s", "decision p50 ms", "decision p99 ms");
        table.Add(await PhaseAsync("before the cut", TimeSpan.FromSeconds(15)));

        // The cut: every camera's address now answers nothing, and its relay reports it offline.
        var dark = cameraIds[^cameras..];
        foreach (var id in dark)
        {
            var camera = node.Grains.GetGrain<ICameraGrain>(id);
            await camera.UpdateAsync(new CameraPatch(StreamUrl: deadUrl), "bench");
            await camera.SetStatusAsync(CameraStatus.Offline, CameraStatusSetters.Relay, CameraStatusCauses.Unreachable);
        }
        table.Add(await PhaseAsync($"{cameras} cameras dark", TimeSpan.FromSeconds(seconds)));
        Console.WriteLine(table);
        Console.WriteLine($"Machine during the run: {machine.Describe()}");
        await stopHolding.CancelAsync();
        await held;

        async Task<object[]> PhaseAsync(string name, TimeSpan duration)
        {
            var (notConnectedBefore, snapshotsBefore) = (relays.RechecksNotConnected, relays.RecheckSnapshots);
            var ticksBefore = ProcessStats.OwnTicksWithEndedChildren();
            var started = Stopwatch.GetTimestamp();
            using var sampling = new CancellationTokenSource();
            var peak = SamplePeakAsync(sampling.Token);
            var decisions = await PacedLoad.RunAsync(DecisionCallers, decide, decisionRate, duration);
            await sampling.CancelAsync();
            var (count, rss) = await peak;
            var cores = (ProcessStats.OwnTicksWithEndedChildren() - ticksBefore) / ProcessStats.ClockTicksPerSecond / Stopwatch.GetElapsedTime(started).TotalSeconds;
            return [name, duration.TotalSeconds, relays.RechecksNotConnected - notConnectedBefore, relays.RecheckSnapshots - snapshotsBefore, relays.RechecksWaiting, count, rss / 1024, cores.ToString("F2", CultureInfo.InvariantCulture),
                decisions.OperationsPerSecond, decisions.P50Ms, decisions.P99Ms];
        }
    }

    /// <summary>Takes every connection and keeps it open, answering nothing, until stopped.</summary>
    private static async Task HoldConnectionsAsync(Socket listener, CancellationToken stop)
    {
        var open = new List<Socket>();
        try
        {
            while (true) open.Add(await listener.AcceptAsync(stop));
        }
        catch (OperationCanceledException) { }
        foreach (var socket in open) socket.Dispose();
    }

    /// <summary>The most ffmpeg processes seen at once (sampled every 100 ms), with their memory then, until cancelled.</summary>
    private static async Task<(int Count, long RssKilobytes)> SamplePeakAsync(CancellationToken stop)
    {
        var peak = (Count: 0, RssKilobytes: 0L);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                if (ProcessStats.Named("ffmpeg") is var now && now.Count > peak.Count) peak = now;
        }
        catch (OperationCanceledException) { }
        return peak;
    }
}
