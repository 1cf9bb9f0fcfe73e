using System.Diagnostics;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Bench.Spatial;

/// <summary>
/// Nearest 16 cameras within 500 m at random points in Seoul, over the 68,000-camera city: first on the raw grid index,
/// then through <see cref="ISpatialQueryGrain"/> on an in-process node that seeded the same city.
/// </summary>
public static class SpatialBenchmark
{
    private const double RadiusMeters = 500;
    private const int Limit = 16;
    private const int BuildRepetitions = 5;
    private const int EquivalenceSample = 2_000;
    private static readonly int[] IndexCallers = [1, 2];
    private static readonly int[] GrainCallers = [1, 2, 8];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    public static async Task RunAsync()
    {
        Console.WriteLine($"## spatial: nearest {Limit} within {RadiusMeters} m, {BenchNodeSettings.Cameras:N0} cameras\n");
        var machine = MachineLoad.Start();
        var city = SampleCity.Generate();
        var points = city.RandomPoints(10_000, seed: 42);

        var index = MeasureIndexBuild(city.Cameras);
        DescribeAnswers(index, points);
        await MeasureRawIndexAsync(index, points);

        await using var node = await InProcessNode.StartSeededAsync();
        Console.WriteLine($"In-process node started and seeded in {node.Startup.TotalSeconds:F1} s.\n");
        var grain = node.Grains.GetGrain<ISpatialQueryGrain>(0);
        await CheckGrainMatchesIndexAsync(grain, index, points);
        await MeasureGrainLayerAsync(grain, points);
        Console.WriteLine("Target (design.md): p99 ≤ 2 ms through the grain layer; ≥ 20,000 queries/s.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }

    private static CameraIndexSnapshot MeasureIndexBuild(CameraInfo[] cameras)
    {
        var timings = new double[BuildRepetitions];
        var index = CameraIndexSnapshot.Empty;
        for (var i = 0; i < BuildRepetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            index = CameraIndexSnapshot.Build(cameras);
            timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(timings);
        Console.WriteLine("### Index build (CameraIndexSnapshot.Build)\n");
        Console.WriteLine(new MarkdownTable("cameras", "builds", "min ms", "median ms", "max ms")
            .Add(index.Count, BuildRepetitions, timings[0], timings[BuildRepetitions / 2], timings[^1]));
        return index;
    }

    private static void DescribeAnswers(CameraIndexSnapshot index, GeoPoint[] points)
    {
        var hitCounts = points.Select(p => index.Nearest(Query(p)).Count).ToArray();
        Console.WriteLine($"Answers over the {points.Length:N0} query points: mean {hitCounts.Average():F1} hits, " +
                          $"{hitCounts.Count(h => h == Limit) * 100.0 / points.Length:F0} % full ({Limit}), " +
                          $"{hitCounts.Count(h => h == 0) * 100.0 / points.Length:F0} % empty.\n");
    }

    private static async Task MeasureRawIndexAsync(CameraIndexSnapshot index, GeoPoint[] points)
    {
        var table = NewResultTable();
        foreach (var callers in IndexCallers)
        {
            var summary = await LoadRunner.RunAsync(callers, WarmUp, Duration, (caller, sequence) =>
            {
                index.Nearest(Query(PointFor(points, caller, sequence)));
                return ValueTask.CompletedTask;
            });
            AddRow(table, "raw index", summary);
        }
        Console.WriteLine("### Raw index (CameraIndexSnapshot.Nearest, one thread per caller)\n");
        Console.WriteLine(table);
    }

    private static async Task CheckGrainMatchesIndexAsync(ISpatialQueryGrain grain, CameraIndexSnapshot index, GeoPoint[] points)
    {
        var total = (await grain.InBoxAsync(new BoxQuery(null, null, null, null, null, 1, 1))).Total;
        var identical = 0;
        foreach (var point in points.Take(EquivalenceSample))
        {
            var viaGrain = await grain.NearestAsync(Query(point));
            var direct = index.Nearest(Query(point));
            if (viaGrain.Select(h => h.Camera).SequenceEqual(direct.Select(h => h.Camera))) identical++;
        }
        Console.WriteLine($"The node's index holds {total:N0} cameras; grain answers identical to the raw index for " +
                          $"{identical:N0}/{EquivalenceSample:N0} sample points.\n");
    }

    private static async Task MeasureGrainLayerAsync(ISpatialQueryGrain grain, GeoPoint[] points)
    {
        var table = NewResultTable();
        foreach (var callers in GrainCallers)
        {
            var summary = await LoadRunner.RunAsync(callers, WarmUp, Duration, async (caller, sequence) =>
                await grain.NearestAsync(Query(PointFor(points, caller, sequence))));
            AddRow(table, "grain (ISpatialQueryGrain)", summary);
        }
        Console.WriteLine("### Through the grain layer (in-process node, async callers)\n");
        Console.WriteLine(table);
    }

    private static SpatialQuery Query(GeoPoint center) => new(center, RadiusMeters, Limit);

    private static GeoPoint PointFor(GeoPoint[] points, int caller, long sequence) =>
        points[(int)((caller * 7_919L + sequence) % points.Length)];

    private static MarkdownTable NewResultTable() =>
        new("layer", "callers", "queries", "queries/s", "p50 ms", "p99 ms", "max ms", "CPU cores");

    private static void AddRow(MarkdownTable table, string layer, LatencySummary s) =>
        table.Add(layer, s.Callers, s.Operations, s.OperationsPerSecond, s.P50Ms, s.P99Ms, s.MaxMs, s.CpuCores);
}
