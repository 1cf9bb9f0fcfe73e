using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Bench.Nation;

/// <summary>
/// A synthetic nation (<c>Demo:Region=korea</c>) of N cameras on an in-process node: start → ready (seeding included),
/// resident memory, index build time, nearest-16 within 500 m through <see cref="ISpatialQueryGrain"/>, and the grain's
/// answers against a brute-force scan of every camera. Run once per size, each in a fresh process, so RSS is the size's own.
/// </summary>
public static class NationBenchmark
{
    private const double RadiusMeters = 500;
    private const int Limit = 16;
    private const int BruteForceSample = 1_000;
    private const int BuildRepetitions = 3;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(string[] args)
    {
        var cameras = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_500_000;
        Console.WriteLine($"## nation: {cameras:N0} cameras in a synthetic Korea, nearest {Limit} within {RadiusMeters} m\n");
        var machine = MachineLoad.Start();
        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?>
        {
            ["Demo:Region"] = Region.KoreaName,
            ["Demo:Cameras"] = cameras.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:SafetyNet.Grains.Demo"] = "Information",
        });
        var rssReady = MemoryMegabytes("VmRSS");
        var grain = node.Grains.GetGrain<ISpatialQueryGrain>(0);
        var region = node.Services.GetRequiredService<Region>();
        var catalog = await CatalogAsync(node.Grains, region);
        var buildSeconds = MeasureBuild(catalog);
        var points = QueryPoints(catalog, 10_000, seed: 42);
        var latency = await LoadRunner.RunAsync(1, WarmUp, Duration, async (_, sequence) =>
            await grain.NearestAsync(Query(points[(int)(sequence % points.Length)])));
        var (identical, sampled) = await CompareWithBruteForceAsync(grain, catalog, points);
        GC.Collect();
        var rssAfter = MemoryMegabytes("VmRSS");

        Console.WriteLine(new MarkdownTable("cameras", "districts", "start → ready s", "RSS at ready MB", "RSS after queries MB", "peak RSS MB",
                "index build s (median of 3)", "nearest-16 p50 ms", "p99 ms", "queries/s (1 caller)", "identical to brute force")
            .Add(catalog.Length, region.Districts.Count, node.Startup.TotalSeconds, rssReady, rssAfter, MemoryMegabytes("VmHWM"),
                buildSeconds, latency.P50Ms, latency.P99Ms, latency.OperationsPerSecond, $"{identical}/{sampled}"));
        Console.WriteLine("Target (issue 14): 1.5 M cameras ready ≤ 60 s, RSS ≤ 4 GB, nearest-16 p99 ≤ 0.2 ms through the grain layer, identical to brute force.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }

    private static async Task<CameraInfo[]> CatalogAsync(IGrainFactory grains, Region region)
    {
        var catalogs = await Task.WhenAll(region.Districts.Select(d => grains.GetGrain<IDistrictGrain>(d.Code).GetCatalogIfChangedAsync(-1).AsTask()));
        return catalogs.SelectMany(c => c!.Cameras).ToArray();
    }

    private static double MeasureBuild(CameraInfo[] cameras)
    {
        var timings = new double[BuildRepetitions];
        for (var i = 0; i < BuildRepetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            CameraIndexSnapshot.Build(cameras);
            timings[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        Array.Sort(timings);
        return timings[BuildRepetitions / 2];
    }

    /// <summary>Where incidents happen: near cameras (a random camera's position moved up to about 400 m).</summary>
    private static GeoPoint[] QueryPoints(CameraInfo[] cameras, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var p = cameras[random.Next(cameras.Length)].Position;
            return new GeoPoint(p.Latitude + (random.NextDouble() - 0.5) * 0.008, p.Longitude + (random.NextDouble() - 0.5) * 0.01);
        }).ToArray();
    }

    private static async Task<(int Identical, int Sampled)> CompareWithBruteForceAsync(ISpatialQueryGrain grain, CameraInfo[] cameras, GeoPoint[] points)
    {
        var sample = points.Take(BruteForceSample).ToArray();
        var expected = new (string Id, double Distance)[sample.Length][];
        Parallel.For(0, sample.Length, i => expected[i] = BruteForce(cameras, sample[i]));
        var identical = 0;
        for (var i = 0; i < sample.Length; i++)
        {
            var actual = (await grain.NearestAsync(Query(sample[i]))).Select(h => (h.Camera.Id, h.DistanceMeters)).ToArray();
            if (actual.SequenceEqual(expected[i])) identical++;
        }
        return (identical, sample.Length);
    }

    /// <summary>Every camera's great-circle distance (after a latitude gate no camera within the radius can fail), nearest first, ties by id.</summary>
    private static (string Id, double Distance)[] BruteForce(CameraInfo[] cameras, GeoPoint center)
    {
        var latitudeGate = RadiusMeters * 1.01 / 111_195.0;
        var hits = new List<(string Id, double Distance)>();
        foreach (var camera in cameras)
        {
            if (Math.Abs(camera.Position.Latitude - center.Latitude) > latitudeGate) continue;
            var distance = GeoMath.DistanceMeters(center, camera.Position);
            if (distance <= RadiusMeters) hits.Add((camera.Id, distance));
        }
        return hits.OrderBy(h => h.Distance).ThenBy(h => h.Id, StringComparer.Ordinal).Take(Limit).ToArray();
    }

    private static SpatialQuery Query(GeoPoint center) => new(center, RadiusMeters, Limit);

    private static double MemoryMegabytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }
}
