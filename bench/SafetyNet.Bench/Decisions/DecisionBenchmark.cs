using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Bench.Decisions;

/// <summary>
/// Access decisions through <c>IAgencySessionGrain.DecideAsync</c> (session grain → camera grain → district policy →
/// audit ledger group commit to SQLite): first cold, where every decision activates a camera never touched, then warm
/// over random cameras of the whole city at 1, 8 and 64 callers; then the same without the session hop, and the ledger
/// alone, and finally the audit store's batch writes on their own, to show where the time goes.
/// </summary>
public static class DecisionBenchmark
{
    private const string AgencyId = "seoul-112";
    private const int ColdCallers = 8;
    private const int ActivationCallers = 64;
    private static readonly int[] SessionCallers = [1, 8, 64];
    private static readonly int[] LayerCallers = [8, 64];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan ColdDuration = TimeSpan.FromSeconds(4);

    public static async Task RunAsync()
    {
        Console.WriteLine($"## decisions: access decisions through the session grain, {BenchNodeSettings.Cameras:N0} cameras\n");
        var machine = MachineLoad.Start();
        var cameraIds = ShuffledCameraIds();
        await using var node = await InProcessNode.StartSeededAsync();
        Console.WriteLine($"In-process node started and seeded in {node.Startup.TotalSeconds:F1} s.\n");
        var agency = await node.Grains.GetGrain<IAgencyGrain>(AgencyId).GetAsync()
            ?? throw new InvalidOperationException($"The demo city has no agency '{AgencyId}'.");
        var paths = new DecisionPaths(node.Grains, node.Services.GetRequiredService<IAuditLedger>(), agency);
        using var batchSizes = new AuditBatchSizes();
        using var lockWaits = LockWaits.Start();
        var table = new MarkdownTable("path", "cameras", "callers", "decisions", "decisions/s", "p50 ms", "p99 ms", "max ms", "CPU cores", "KB allocated per decision", "mean entries per audit commit");
        void Add(string path, string cameras, LatencySummary s) =>
            table.Add(path, cameras, s.Callers, s.Operations, s.OperationsPerSecond, s.P50Ms, s.P99Ms, s.MaxMs, s.CpuCores, s.KilobytesAllocatedPerOperation, batchSizes.TakeMean());

        var next = -1;
        Add("session → camera → district → ledger", "cold (first touch)", await LoadRunner.RunCallersAsync(ColdCallers, ColdDuration,
            await paths.ThroughSessionsAsync("cold", ColdCallers, () => cameraIds[Interlocked.Increment(ref next)])));
        await ActivateAsync(node.Grains, cameraIds[(next + 1)..]);

        string RandomCamera() => cameraIds[Random.Shared.Next(cameraIds.Length)];
        foreach (var callers in SessionCallers)
            Add("session → camera → district → ledger", "warm, random", await LoadRunner.RunAsync(callers, WarmUp, Duration,
                await paths.ThroughSessionsAsync($"warm-{callers}", callers, RandomCamera)));
        foreach (var callers in LayerCallers)
            Add("camera → district → ledger (no session hop)", "warm, random",
                await LoadRunner.RunAsync(callers, WarmUp, Duration, paths.ThroughCameras(RandomCamera)));
        foreach (var callers in LayerCallers)
            Add("ledger append only", "—", await LoadRunner.RunAsync(callers, WarmUp, Duration, paths.LedgerOnly(RandomCamera)));

        Console.WriteLine("### Decisions (each with a durable, group-committed audit append)\n");
        Console.WriteLine(table);
        var total = paths.Outcomes.Values.Sum();
        Console.WriteLine("Decision outcomes: " + string.Join(", ",
            paths.Outcomes.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value * 100.0 / total:F0} %")) + "\n");
        Console.WriteLine($"Database during the decision runs: {lockWaits.Describe()}.\n");
        Console.WriteLine("### Audit store alone (one writer, fixed batches, no grains)\n");
        Console.WriteLine(await AuditBatchWrites.MeasureAsync(node.Services.GetRequiredService<AuditWriter>()));
        Console.WriteLine("Nearest target (design.md, lease grant = permission check + signed token): p99 ≤ 5 ms; ≥ 20,000/s.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }

    /// <summary>Every camera id of the demo city (district code + 5-digit number), in a fixed random order.</summary>
    internal static string[] ShuffledCameraIds()
    {
        var counts = DemoCityGenerator.Apportion(BenchNodeSettings.Cameras);
        var ids = SeoulDistricts.All.SelectMany(d => Enumerable.Range(1, counts[d.Code]).Select(n => $"{d.Code}-{n:D5}")).ToArray();
        new Random(7).Shuffle(ids);
        return ids;
    }

    /// <summary>Activates every camera grain not touched yet, so that the warm runs measure decisions and not activations.</summary>
    private static async Task ActivateAsync(IGrainFactory grains, string[] cameraIds)
    {
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(cameraIds, new ParallelOptions { MaxDegreeOfParallelism = ActivationCallers },
            async (id, _) => await grains.GetGrain<ICameraGrain>(id).GetAsync());
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"Activated the other {cameraIds.Length:N0} camera grains in {elapsed.TotalSeconds:F1} s " +
                          $"({cameraIds.Length / elapsed.TotalSeconds:N0}/s, {ActivationCallers} callers).\n");
    }
}
