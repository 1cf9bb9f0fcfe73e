using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Tests.Spatial;

/// <summary>The synthetic nation's districts, without a node.</summary>
public sealed class NationRegionTests
{
    private static readonly Region Korea = Region.Named(Region.KoreaName, 2017);

    [Fact]
    public void The_synthetic_nation_has_230_to_250_districts_over_Korea_with_Seouls_real_25_and_is_the_same_for_a_seed()
    {
        Assert.InRange(Korea.Districts.Count, 230, 250);
        Assert.Equal(Korea.Districts.Count, Korea.Districts.Select(d => d.Code).Distinct().Count());
        Assert.All(SeoulDistricts.All, d => Assert.Same(d, Korea.Find(d.Code)));
        Assert.All(Korea.Districts, d =>
        {
            Assert.InRange(d.Centroid.Latitude, 33.0, 38.7);
            Assert.InRange(d.Centroid.Longitude, 125.9, 129.7);
            Assert.True(d.BoxContains(d.Centroid));
        });
        Assert.All(Korea.Districts.Where(d => !SeoulDistricts.All.Contains(d)), d => Assert.False(SeoulBounds.Contains(d.Centroid)));
        var again = Region.Named(Region.KoreaName, 2017);
        Assert.Equal(Korea.Districts.Select(d => $"{d.Code}@{d.Centroid}"), again.Districts.Select(d => $"{d.Code}@{d.Centroid}"));
        Assert.NotEqual(Korea.Districts.Select(d => d.Centroid), Region.Named(Region.KoreaName, 1).Districts.Select(d => d.Centroid));
    }

    [Fact]
    public void Generated_cameras_lie_in_their_own_district_and_the_apportionment_adds_up()
    {
        var boundaries = DistrictBoundaries.Load(Infrastructure.SharedData.DistrictBoundaries);
        var locator = new DistrictLocator(boundaries, Korea);
        var counts = DemoCityGenerator.Apportion(Korea.Districts, 20_000);
        Assert.Equal(20_000, counts.Values.Sum());
        var generator = new DemoCityGenerator(locator, 2017, "lavfi:testsrc");
        var cameras = Korea.Districts.SelectMany(d => generator.Generate(d, counts[d.Code])).ToArray();
        Assert.Equal(cameras.Length, cameras.Select(c => c.Id).Distinct().Count());
        var misplaced = cameras.Count(c => locator.Locate(c.Position) != c.DistrictCode);
        Assert.True(misplaced < cameras.Length / 200, $"{misplaced} of {cameras.Length} cameras are not located in their own district");
        Assert.Null(locator.Locate(new GeoPoint(40.0, 127.0)));
    }
}
