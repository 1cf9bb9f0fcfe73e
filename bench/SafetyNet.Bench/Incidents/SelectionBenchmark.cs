using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Bench.Spatial;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Incidents;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Camera selection for a 112 emergency-video incident at random points in Seoul, over the 68,000-camera city: the pure
/// <see cref="CameraSelector.Select"/> the incident grain calls (5 nearest plus every camera within 500 m, at most 30,
/// online only, facing-away cameras ranked down), on the same index snapshot the node builds.
/// </summary>
public static class SelectionBenchmark
{
    private const double RadiusMeters = 500;
    private static readonly int[] Callers = [1, 2];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(string[] args)
    {
        var settings = IncidentTypeSettings.DefaultFor(IncidentType.EmergencyVideo112);
        Console.WriteLine($"## selection: CameraSelector.Select, 112-emergency-video defaults (nearest {settings.NearestCount}, " +
                          $"all within {RadiusMeters} m, at most {settings.MaxCameras}), {BenchNodeSettings.Cameras:N0} cameras\n");
        var machine = MachineLoad.Start();
        var city = SampleCity.Generate();
        var index = CameraIndexSnapshot.Build(city.Cameras);
        var points = city.RandomPoints(10_000, seed: 42);

        DescribeSelections(index, points, settings);
        var table = new MarkdownTable("callers", "selections", "selections/s", "p50 ms", "p99 ms", "max ms", "CPU cores");
        foreach (var callers in Callers)
        {
            var s = await LoadRunner.RunAsync(callers, WarmUp, Duration, (caller, sequence) =>
            {
                CameraSelector.Select(index, points[(int)((caller * 7_919L + sequence) % points.Length)], settings, RadiusMeters);
                return ValueTask.CompletedTask;
            });
            table.Add(s.Callers, s.Operations, s.OperationsPerSecond, s.P50Ms, s.P99Ms, s.MaxMs, s.CpuCores);
        }
        Console.WriteLine("### CameraSelector.Select on a CameraIndexSnapshot (one thread per caller)\n");
        Console.WriteLine(table);
        Console.WriteLine("Target (issue 3 / design.md): selection is part of opening an incident; the spatial query under it has p99 ≤ 2 ms.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }

    private static void DescribeSelections(CameraIndexSnapshot index, GeoPoint[] points, IncidentTypeSettings settings)
    {
        var selections = points.Select(p => CameraSelector.Select(index, p, settings, RadiusMeters)).ToArray();
        var counts = selections.Select(s => s.Count).Order().ToArray();
        var facing = selections.Sum(s => s.Count(c => c.Facing)) * 100.0 / Math.Max(1, counts.Sum());
        var beyondRadius = selections.Sum(s => s.Count(c => c.DistanceMeters > RadiusMeters));
        Console.WriteLine($"Selections over the {points.Length:N0} points: cameras per incident min {counts[0]}, median {counts[counts.Length / 2]}, " +
                          $"mean {counts.Average():F1}, max {counts[^1]} ({counts.Count(c => c == settings.MaxCameras) * 100.0 / counts.Length:F0} % at the cap of {settings.MaxCameras}); " +
                          $"{facing:F0} % of selected cameras face the spot; {beyondRadius:N0} selected beyond {RadiusMeters} m (the nearest-{settings.NearestCount} rule).\n");
    }
}
