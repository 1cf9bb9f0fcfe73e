using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Bench.Hosting;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Bench.Spatial;

/// <summary>The demo city exactly as a node seeds it (same generator, seed and boundaries), and query points inside Seoul.</summary>
public sealed class SampleCity
{
    private SampleCity(DistrictLocator locator, CameraInfo[] cameras)
    {
        Locator = locator;
        Cameras = cameras;
    }

    public DistrictLocator Locator { get; }

    public CameraInfo[] Cameras { get; }

    public static SampleCity Generate()
    {
        var locator = new DistrictLocator(DistrictBoundaries.Load(RepositoryPaths.DistrictBoundaries, Region.Seoul, NullLogger.Instance));
        var generator = new DemoCityGenerator(locator, BenchNodeSettings.RandomSeed, new DemoOptions().StreamUrl);
        var counts = DemoCityGenerator.Apportion(BenchNodeSettings.Cameras);
        var cameras = SeoulDistricts.All.SelectMany(d => generator.Generate(d, counts[d.Code])).ToArray();
        return new SampleCity(locator, cameras);
    }

    /// <summary>Uniformly random points that lie inside one of the 25 districts (rejection sampling over Seoul's envelope).</summary>
    public GeoPoint[] RandomPoints(int count, int seed)
    {
        var random = new Random(seed);
        var points = new List<GeoPoint>(count);
        while (points.Count < count)
        {
            var candidate = new GeoPoint(
                SeoulBounds.MinLatitude + random.NextDouble() * (SeoulBounds.MaxLatitude - SeoulBounds.MinLatitude),
                SeoulBounds.MinLongitude + random.NextDouble() * (SeoulBounds.MaxLongitude - SeoulBounds.MinLongitude));
            if (Locator.Locate(candidate) is not null) points.Add(candidate);
        }
        return points.ToArray();
    }
}
