using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Bench.Spatial;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Incidents;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Camera selection for a 112 emergency-video incident at random points in Seoul, over the 68,000-camera city: the pure
/// <see cref="CameraSelector.Select"/> the incident grain calls (5 nearest plus every camera within 500 m, at most 30,
/// online only, facing-away cameras ranked down, only cameras the 112 center could view under the incident's grant, every
/// district on the default sharing policy), on the same index snapshot the node builds.
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
        var viewing = PoliceCenterViewing(settings);

        DescribeSelections(index, points, settings, viewing);
        var table = new MarkdownTable("callers", "selections", "selections/s", "p50 ms", "p99 ms", "max ms", "CPU cores");
        foreach (var callers in Callers)
        {
            var s = await LoadRunner.RunAsync(callers, WarmUp, Duration, (caller, sequence) =>
            {
                CameraSelector.Select(index, points[(int)((caller * 7_919L + sequence) % points.Length)], settings, RadiusMeters, viewing);
                return ValueTask.CompletedTask;
            });
            table.Add(s.Callers, s.Operations, s.OperationsPerSecond, s.P50Ms, s.P99Ms, s.MaxMs, s.CpuCores);
        }
        Console.WriteLine("### CameraSelector.Select on a CameraIndexSnapshot (one thread per caller)\n");
        Console.WriteLine(table);
        Console.WriteLine("Target (issue 3 / design.md): selection is part of opening an incident; the spatial query under it has p99 ≤ 2 ms.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }

    private static ResponderViewing PoliceCenterViewing(IncidentTypeSettings settings)
    {
        var now = DateTimeOffset.UtcNow;
        var center = new AgencyInfo("seoul-112", "Seoul 112", AgencyKind.Police112Center, CityWide: true, []);
        var grant = new AccessGrant("bench/seoul-112", center.Id, settings.GrantPurpose, "bench", now, now + settings.MaxDuration, []);
        return new ResponderViewing([(center, grant)], Region.Seoul.Codes.ToDictionary(code => code, _ => SharingPolicy.KoreanDefault), now);
    }

    private static void DescribeSelections(CameraIndexSnapshot index, GeoPoint[] points, IncidentTypeSettings settings, ResponderViewing viewing)
    {
        var selections = points.Select(p => CameraSelector.Select(index, p, settings, RadiusMeters, viewing).Cameras).ToArray();
        var counts = selections.Select(s => s.Count).Order().ToArray();
        var facing = selections.Sum(s => s.Count(c => c.Facing)) * 100.0 / Math.Max(1, counts.Sum());
        var beyondRadius = selections.Sum(s => s.Count(c => c.DistanceMeters > RadiusMeters));
        Console.WriteLine($"Selections over the {points.Length:N0} points: cameras per incident min {counts[0]}, median {counts[counts.Length / 2]}, " +
                          $"mean {counts.Average():F1}, max {counts[^1]} ({counts.Count(c => c == settings.MaxCameras) * 100.0 / counts.Length:F0} % at the cap of {settings.MaxCameras}); " +
                          $"{facing:F0} % of selected cameras face the spot; {beyondRadius:N0} selected beyond {RadiusMeters} m (the nearest-{settings.NearestCount} rule).\n");
    }
}
