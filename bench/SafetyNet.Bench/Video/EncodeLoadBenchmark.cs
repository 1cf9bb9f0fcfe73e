using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Bench.Decisions;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Media;

namespace SafetyNet.Bench.Video;

/// <summary>
/// What a node asked for more encodes than its cores can run does to its other work: a 112 operator opens one more
/// camera that must be encoded (1080p at 25 fps, generated, as a masked or H.265 camera would be) every few seconds, while
/// audited access decisions arrive at a fixed rate (open loop: a late decision counts from when it was due). Each step
/// reports the lease's answer, the node's CPU share as <see cref="CpuLoad"/> reads it, the decisions' latency, and how much
/// video each running relay wrote per second of wall time (1.0 keeps up with the camera). Run with the limit
/// (Media:NewEncodeCpuLimit, 0.85 by default) and with it off (1) to compare. Last, a 119 operator opens one more camera under
/// a fire's grant, which a standing view's encode should give way to on a full node.
/// </summary>
public static class EncodeLoadBenchmark
{
    private const string StreamUrl = "lavfi:testsrc2=size=1920x1080:rate=25";
    private const int DecisionCallers = 8;

    public static async Task RunAsync(string[] args)
    {
        var limit = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 0.85;
        var cameras = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 14;
        var step = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
        var decisionRate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3000;
        Console.WriteLine($"## encode-load: one more 1080p25 encode every {step.TotalSeconds:F0} s up to {cameras}, {decisionRate:N0} decisions/s " +
                          $"(open loop, {DecisionCallers} callers), Media:NewEncodeCpuLimit {limit.ToString(CultureInfo.InvariantCulture)}\n");
        var machine = MachineLoad.Start();
        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?>
        {
            ["Demo:StreamUrl"] = StreamUrl,
            ["Media:NewEncodeCpuLimit"] = limit.ToString(CultureInfo.InvariantCulture),
            ["Leases:PrewarmCount"] = "0",
            ["Leases:UpstreamCapPerDistrict"] = "100",
        });
        var relays = node.Services.GetRequiredService<RelayHost>();
        var cpu = node.Services.GetRequiredService<ICpuLoad>();
        var agency = await node.Grains.GetGrain<IAgencyGrain>("seoul-112").GetAsync() ?? throw new InvalidOperationException("No agency seoul-112.");
        var cameraIds = DecisionBenchmark.ShuffledCameraIds();
        var decided = cameraIds[..2_000];
        var paths = new DecisionPaths(node.Grains, node.Services.GetRequiredService<IAuditLedger>(), agency);
        var decide = await paths.ThroughSessionsAsync("encode-load", DecisionCallers, () => decided[Random.Shared.Next(decided.Length)]);
        // Warm-up at the measured rate, long enough for the CPU share to forget the node's start.
        await PacedLoad.RunAsync(DecisionCallers, decide, decisionRate, TimeSpan.FromSeconds(CpuLoad.WindowSeconds + 3));

        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var operatorToken = await NodeApi.SessionAsync(http, "seoul-112", "encode-load-operator");
        var watched = await AllowedCamerasAsync(node, agency, cameraIds[2_000..], cameras);

        var table = new MarkdownTable("step", "lease asked", "answer", "relays serving", "node CPU share (CpuLoad)", "decisions/s", "decision p50 ms",
            "decision p99 ms", "video written per wall second by the relays running before the step (mean / lowest)");
        var open = new List<string>();
        for (var i = 0; i < watched.Length; i++)
        {
            // Judged over the step: the relays that ran before it (a new one spends its first second starting).
            var before = open.ToDictionary(c => c, c => SegmentNames(relays, c));
            var answer = await LeaseAsync(http, operatorToken, watched[i]);
            if (answer == "201") open.Add(watched[i]);
            var decisions = await PacedLoad.RunAsync(DecisionCallers, decide, decisionRate, step);
            var keptUp = before.Select(c => WrittenSeconds(relays, c.Key, c.Value) / step.TotalSeconds).ToArray();
            table.Add(i + 1, watched[i], answer, open.Count(c => relays.StatusOf(c).IsServing), cpu.RecentShare is { } share ? share.ToString("P0", CultureInfo.InvariantCulture) : "unknown",
                decisions.OperationsPerSecond, decisions.P50Ms, decisions.P99Ms, keptUp.Length == 0 ? "—" : $"{keptUp.Average():F2} / {keptUp.Min():F2}");
        }
        Console.WriteLine(table);

        // Then a fire at one more camera, while the node is as full as the steps left it: a 119 operator opens it under the
        // incident's grant (priority 1), and a standing view's encode should give way to it.
        var fire = await IncidentCameraAsync(node, cameraIds[2_000..], watched);
        var incident = await OpenIncidentAsync(http, fire);
        var responder = await NodeApi.SessionAsync(http, "seoul-119", "encode-load-responder");
        var asked = Stopwatch.GetTimestamp();
        var incidentAnswer = await LeaseAsync(http, responder, fire.Id, new { purpose = "emergency-response", incidentId = incident });
        var toPlaylist = incidentAnswer == "201" && await relays.WaitForPlaylistAsync(fire.Id, TimeSpan.FromSeconds(30), CancellationToken.None)
            ? $"{Stopwatch.GetElapsedTime(asked).TotalMilliseconds:F0} ms" : "none";
        var during = await PacedLoad.RunAsync(DecisionCallers, decide, decisionRate, step);
        Console.WriteLine($"Incident viewer (119, priority 1) on camera {fire.Id}: {incidentAnswer}; lease POST to the relay's first playlist {toPlaylist}; " +
                          $"relays serving after it {open.Count(c => relays.StatusOf(c).IsServing)} of the {open.Count} standing views opened; decisions over the next " +
                          $"{step.TotalSeconds:F0} s {during.OperationsPerSecond:N0}/s, p50 {during.P50Ms:F1} ms, p99 {during.P99Ms:F1} ms.");
        Console.WriteLine($"Encodes refused for load: {relays.EncodesRefused}; encodes that gave way: {relays.EncodesYielded}. Machine during the run: {machine.Describe()}");
    }

    /// <summary>An online demo camera none of the steps watched, for the incident's viewer.</summary>
    private static async Task<CameraInfo> IncidentCameraAsync(InProcessNode node, string[] candidates, string[] watched)
    {
        foreach (var id in candidates.Except(watched))
            if (await node.Grains.GetGrain<ICameraGrain>(id).GetAsync() is { Status: CameraStatus.Online } camera) return camera;
        throw new InvalidOperationException("No online camera left for the incident.");
    }

    private static async Task<string> OpenIncidentAsync(HttpClient http, CameraInfo camera)
    {
        var dispatch = await NodeApi.TokenAsync(http, "seoul-119", "encode-load-cad", "dispatch-system");
        using var response = await NodeApi.SendAsync(http, HttpMethod.Post, "/api/v1/incidents", dispatch, JsonContent.Create(new
        {
            type = "119-dispatch", latitude = camera.Position.Latitude, longitude = camera.Position.Longitude, priority = 1,
            externalReference = $"ENCODE-LOAD-{Guid.NewGuid():N}"[..24], justification = "encode-load bench",
        }));
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Opening the incident failed: {incident}");
        return incident.GetProperty("id").GetString()!;
    }

    /// <summary>Cameras the 112 center sees under standing policy, each an online demo camera whose relay must encode.</summary>
    private static async Task<string[]> AllowedCamerasAsync(InProcessNode node, AgencyInfo agency, string[] candidates, int count)
    {
        var session = node.Grains.GetGrain<IAgencySessionGrain>("encode-load-picker");
        var principal = new OperatorPrincipal("encode-load-picker", agency.Id, "operator", "encode-load-picker");
        await session.StartAsync(principal);
        var allowed = new List<string>();
        foreach (var camera in candidates)
        {
            if ((await session.DecideAsync(principal, new AccessRequest(camera, AccessPurpose.Monitoring))).Reason == DecisionReasons.StandingPolicy) allowed.Add(camera);
            if (allowed.Count == count) return [.. allowed];
        }
        throw new InvalidOperationException($"Only {allowed.Count} cameras allowed by standing policy.");
    }

    private static async Task<string> LeaseAsync(HttpClient http, string token, string camera, object? body = null)
    {
        using var response = await NodeApi.SendAsync(http, HttpMethod.Post, $"/api/v1/cameras/{camera}/leases", token, JsonContent.Create(body ?? new { purpose = "monitoring" }));
        if ((int)response.StatusCode == 201) return "201";
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return $"{(int)response.StatusCode} {(problem.TryGetProperty("reason", out var reason) ? reason.GetString() : problem.GetProperty("title").GetString())}";
    }

    private static HashSet<string> SegmentNames(RelayHost relays, string camera) =>
        [.. relays.ReadPlaylist(camera, MediaRendition.Original, window: true)?.Segments.Select(s => s.Name) ?? []];

    private static double WrittenSeconds(RelayHost relays, string camera, HashSet<string> before) =>
        relays.ReadPlaylist(camera, MediaRendition.Original, window: true)?.Segments.Where(s => !before.Contains(s.Name)).Sum(s => s.Seconds) ?? 0;
}
