using System.Collections.Concurrent;
using System.Diagnostics;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Bench.Decisions;

/// <summary>
/// Access decisions through <see cref="IAgencySessionGrain.DecideAsync"/>: session grain → camera grain → district policy →
/// audit ledger group commit to SQLite. Each caller owns its session (a session grain handles one call at a time).
/// First cold (every decision activates a camera never touched), then warm over random cameras of the whole city.
/// </summary>
public static class DecisionBenchmark
{
    private const string AgencyId = "seoul-112";
    private const int ColdCallers = 8;
    private const int ActivationCallers = 64;
    private static readonly int[] WarmCallers = [1, 8, 64];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan ColdDuration = TimeSpan.FromSeconds(4);

    public static async Task RunAsync()
    {
        Console.WriteLine($"## decisions: access decisions through the session grain, {BenchNodeSettings.Cameras:N0} cameras\n");
        var machine = MachineLoad.Start();
        var cameraIds = ShuffledCameraIds();
        await using var node = await InProcessNode.StartSeededAsync();
        Console.WriteLine($"In-process node started and seeded in {node.Startup.TotalSeconds:F1} s.\n");
        var reasons = new ConcurrentDictionary<string, long>();
        var table = new MarkdownTable("cameras", "callers", "decisions", "decisions/s", "p50 ms", "p99 ms", "max ms");

        var cold = await MeasureColdAsync(node.Grains, cameraIds, reasons);
        table.Add("cold (first touch)", cold.Summary.Callers, cold.Summary.Operations, cold.Summary.OperationsPerSecond,
            cold.Summary.P50Ms, cold.Summary.P99Ms, cold.Summary.MaxMs);
        var activation = await ActivateAsync(node.Grains, cameraIds[cold.Used..]);
        Console.WriteLine($"Activated the other {cameraIds.Length - cold.Used:N0} camera grains in {activation.TotalSeconds:F1} s " +
                          $"({(cameraIds.Length - cold.Used) / activation.TotalSeconds:N0}/s, {ActivationCallers} callers).\n");

        foreach (var callers in WarmCallers)
        {
            var sessions = await StartSessionsAsync(node.Grains, $"warm-{callers}", callers);
            var summary = await LoadRunner.RunAsync(callers, WarmUp, Duration, async (caller, sequence) =>
            {
                var cameraId = cameraIds[Random.Shared.Next(cameraIds.Length)];
                await DecideAsync(sessions[caller], cameraId, reasons);
            });
            table.Add("warm, random", summary.Callers, summary.Operations, summary.OperationsPerSecond, summary.P50Ms, summary.P99Ms, summary.MaxMs);
        }

        Console.WriteLine("### Decisions (each with a durable, group-committed audit append)\n");
        Console.WriteLine(table);
        Console.WriteLine("Decision outcomes: " + string.Join(", ",
            reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value * 100.0 / reasons.Values.Sum():F0} %")) + "\n");
        Console.WriteLine("Nearest target (design.md, lease grant = permission check + signed token): p99 ≤ 5 ms; ≥ 20,000/s.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }

    /// <summary>Every camera id of the demo city (district code + 5-digit number), in a fixed random order.</summary>
    private static string[] ShuffledCameraIds()
    {
        var counts = DemoCityGenerator.Apportion(BenchNodeSettings.Cameras);
        var ids = SeoulDistricts.All.SelectMany(d => Enumerable.Range(1, counts[d.Code]).Select(n => $"{d.Code}-{n:D5}")).ToArray();
        new Random(7).Shuffle(ids);
        return ids;
    }

    private static async Task<(LatencySummary Summary, int Used)> MeasureColdAsync(
        IGrainFactory grains, string[] cameraIds, ConcurrentDictionary<string, long> reasons)
    {
        var sessions = await StartSessionsAsync(grains, "cold", ColdCallers);
        var next = -1;
        var summary = await LoadRunner.RunCallersAsync(ColdCallers, ColdDuration, async (caller, _) =>
            await DecideAsync(sessions[caller], cameraIds[Interlocked.Increment(ref next)], reasons));
        return (summary, next + 1);
    }

    private static async Task<TimeSpan> ActivateAsync(IGrainFactory grains, ArraySegment<string> cameraIds)
    {
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(cameraIds, new ParallelOptions { MaxDegreeOfParallelism = ActivationCallers },
            async (id, _) => await grains.GetGrain<ICameraGrain>(id).GetAsync());
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<BenchSession[]> StartSessionsAsync(IGrainFactory grains, string prefix, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var sessionId = $"bench-{prefix}-{i}";
            var principal = new OperatorPrincipal($"bench-operator-{prefix}-{i}", AgencyId, "operator", sessionId);
            var grain = grains.GetGrain<IAgencySessionGrain>(sessionId);
            await grain.StartAsync(principal);
            return new BenchSession(grain, principal);
        }));

    private static async Task DecideAsync(BenchSession session, string cameraId, ConcurrentDictionary<string, long> reasons)
    {
        var decision = await session.Grain.DecideAsync(session.Principal, new AccessRequest(cameraId, AccessPurpose.Monitoring));
        reasons.AddOrUpdate(decision.Reason, 1, (_, n) => n + 1);
    }

    private sealed record BenchSession(IAgencySessionGrain Grain, OperatorPrincipal Principal);
}
