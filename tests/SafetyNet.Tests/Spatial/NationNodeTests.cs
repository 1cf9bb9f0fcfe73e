using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;
using SafetyNet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace SafetyNet.Tests.Spatial;

/// <summary>A node configured for the synthetic nation: its catalog covers every district and nearest-k through the grain equals a brute-force scan.</summary>
[Trait("Category", "Slow")]
public sealed class NationNodeTests
{
    [Fact]
    public async Task A_nation_node_answers_nearest_k_identical_to_brute_force()
    {
        await using var node = await TestNode.StartAsync(cameras: 30_000, extra: new Dictionary<string, string?> { ["Demo:Region"] = "korea" });
        var region = node.App.Services.GetRequiredService<Region>();
        Assert.True(region.Districts.Count >= 230);
        var catalogs = await Task.WhenAll(region.Districts.Select(d => node.Grains.GetGrain<IDistrictGrain>(d.Code).GetCatalogIfChangedAsync(-1).AsTask()));
        var cameras = catalogs.SelectMany(c => c!.Cameras).ToArray();
        Assert.Equal(30_000, cameras.Length);
        Assert.Contains(cameras, c => c.DistrictCode.StartsWith("39", StringComparison.Ordinal));

        var grain = node.Grains.GetGrain<ISpatialQueryGrain>(0);
        var random = new Random(11);
        for (var i = 0; i < 300; i++)
        {
            var near = cameras[random.Next(cameras.Length)].Position;
            var center = new GeoPoint(near.Latitude + (random.NextDouble() - 0.5) * 0.02, near.Longitude + (random.NextDouble() - 0.5) * 0.02);
            var query = new SpatialQuery(center, i % 2 == 0 ? 500 : 5_000, 16);
            var expected = cameras.Select(c => (c.Id, Distance: GeoMath.DistanceMeters(center, c.Position)))
                .Where(h => h.Distance <= query.RadiusMeters).OrderBy(h => h.Distance).ThenBy(h => h.Id, StringComparer.Ordinal).Take(16).ToArray();
            var actual = (await grain.NearestAsync(query)).Select(h => (h.Camera.Id, h.DistanceMeters)).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"Mismatch at ({center.Latitude}, {center.Longitude}) r={query.RadiusMeters}");
        }
    }
}
