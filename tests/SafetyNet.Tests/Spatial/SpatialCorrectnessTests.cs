using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Spatial;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Spatial;

/// <summary>The grid index against a brute-force scan of the whole 68,000-camera city, including points on district borders.</summary>
public sealed class SpatialCorrectnessTests
{
    private static readonly DistrictBoundaries Boundaries = DistrictBoundaries.Load(SharedData.DistrictBoundaries, Region.Seoul, NullLogger.Instance);
    private static readonly Lazy<CameraInfo[]> City = new(() =>
    {
        var generator = new DemoCityGenerator(new DistrictLocator(Boundaries), 2017, "lavfi:testsrc");
        var counts = DemoCityGenerator.Apportion(68_000);
        return SeoulDistricts.All.SelectMany(d => generator.Generate(d, counts[d.Code])).ToArray();
    });

    [Fact]
    public void The_demo_city_has_68000_cameras_each_inside_its_own_district()
    {
        var locator = new DistrictLocator(Boundaries);
        Assert.Equal(68_000, City.Value.Length);
        Assert.Equal(68_000, City.Value.Select(c => c.Id).Distinct().Count());
        Assert.All(City.Value.Where((_, i) => i % 97 == 0), c => Assert.Equal(c.DistrictCode, locator.Locate(c.Position)));
        Assert.Equal(2780.0 / 29_477, City.Value.Count(c => c.DistrictCode == "11230") / 68_000.0, 3);
    }

    [Fact]
    public void The_same_seed_gives_the_same_city_in_every_process()
    {
        // A golden value: a per-process random hash anywhere in the generator would change it from run to run.
        var first = City.Value.First(c => c.Id == "11010-00001");
        Assert.Equal(GoldenFirstCamera, $"{first.Position.Latitude:F6},{first.Position.Longitude:F6},{first.Purpose}");
    }

    private const string GoldenFirstCamera = "37.577447,126.962871,CrimePrevention";

    [Fact]
    public void Nearest_and_radius_answers_equal_a_brute_force_scan()
    {
        var index = CameraIndexSnapshot.Build(City.Value);
        var random = new Random(7);
        var points = new List<GeoPoint>();
        for (var i = 0; i < 300; i++)
            points.Add(new GeoPoint(37.43 + random.NextDouble() * 0.26, 126.80 + random.NextDouble() * 0.37));
        var borderVertices = Boundaries.Codes.SelectMany(Boundaries.RingsOf).SelectMany(r => r).ToArray();
        for (var i = 0; i < 200; i++) points.Add(borderVertices[random.Next(borderVertices.Length)]);

        foreach (var point in points)
        {
            foreach (var (radius, limit, purpose) in new (double, int, CameraPurpose?)[] { (500, 16, null), (1500, 500, null), (300, 5, CameraPurpose.Traffic), (20_000, 5, null) })
            {
                var query = new SpatialQuery(point, radius, limit, purpose);
                var expected = BruteForce(query);
                var actual = index.Nearest(query).Select(h => (h.Camera.Id, h.DistanceMeters)).ToArray();
                Assert.True(expected.SequenceEqual(actual),
                    $"Mismatch at ({point.Latitude}, {point.Longitude}) r={radius} k={limit}: expected {expected.Length} [{string.Join(",", expected.Take(5))}], got {actual.Length} [{string.Join(",", actual.Take(5))}]");
            }
        }
    }

    private static (string Id, double Distance)[] BruteForce(SpatialQuery query) => City.Value
        .Where(c => query.Purpose is null || c.Purpose == query.Purpose)
        .Select(c => (c.Id, Distance: GeoMath.DistanceMeters(query.Center, c.Position)))
        .Where(x => x.Distance <= query.RadiusMeters)
        .OrderBy(x => x.Distance).ThenBy(x => x.Id, StringComparer.Ordinal)
        .Take(query.Limit)
        .ToArray();
}
