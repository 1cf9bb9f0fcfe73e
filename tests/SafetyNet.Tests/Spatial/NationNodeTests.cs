using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;
using SafetyNet.Tests.Infrastructure;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
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

    [Fact]
    public async Task Beyond_Seoul_only_the_platform_administrator_imports_cameras_and_only_inside_the_nations_districts()
    {
        await using var node = await TestNode.StartAsync(cameras: 2_000, extra: new Dictionary<string, string?> { ["Demo:Region"] = "korea" });
        var region = node.App.Services.GetRequiredService<Region>();
        var (district, spot) = await FirstCameraBeyondSeoulAsync(node, region);
        var row = $"id,lat,lon,purpose,stream_url\nnation-import-1,{spot.Latitude},{spot.Longitude},traffic,rtsp://camera.example/1\n";

        // A Seoul district's administrator manages Jung-gu only: a camera of another local government is not theirs to add.
        var jung = await ImportAsync(node, await node.TokenAsync("control-jung", "nation-admin", "district-admin"), row);
        Assert.Equal((0, 1), (jung.GetProperty("created").GetInt32(), jung.GetProperty("rejected").GetInt32()));
        Assert.Contains($"not {district}", jung.GetProperty("errors")[0].GetProperty("reason").GetString());

        // The platform administrator may, and the camera lands in the district its position lies in.
        var admin = await node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var created = await ImportAsync(node, admin, row);
        Assert.Equal(1, created.GetProperty("created").GetInt32());
        Assert.Equal(district, (await node.Grains.GetGrain<ICameraGrain>("nation-import-1").GetAsync())!.DistrictCode);

        // Even the platform administrator cannot place a camera outside every district of the nation.
        var outside = await ImportAsync(node, admin, "id,lat,lon,purpose,stream_url\nnation-import-2,10.0,10.0,traffic,rtsp://camera.example/2\n");
        Assert.Equal(0, outside.GetProperty("created").GetInt32());
        Assert.Contains("outside every district", outside.GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    private static async Task<(string District, GeoPoint Spot)> FirstCameraBeyondSeoulAsync(TestNode node, Region region)
    {
        foreach (var reference in region.Districts.Where(d => !d.Code.StartsWith("11", StringComparison.Ordinal)))
            if ((await node.Grains.GetGrain<IDistrictGrain>(reference.Code).GetCatalogIfChangedAsync(-1))?.Cameras is [var camera, ..])
                return (reference.Code, camera.Position);
        throw new InvalidOperationException("The synthetic nation has no camera outside Seoul.");
    }

    private static async Task<JsonElement> ImportAsync(TestNode node, string token, string csv)
    {
        using var response = await node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
