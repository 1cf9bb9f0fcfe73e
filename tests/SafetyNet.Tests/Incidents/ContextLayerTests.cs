using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>Issue 11, item 10: the 119 layers at realistic density and detail, read through the API, and replaced from real files.</summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class ContextLayerTests(IncidentNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Every_point_of_the_city_has_a_demo_hydrant_within_150_m()
    {
        var locator = Node.App.Services.GetRequiredService<DistrictLocator>();
        var token = await Node.TokenAsync("seoul-119", "hydrant-check", "operator");
        var random = new Random(11);
        var checkedPoints = 0;
        while (checkedPoints < 150)
        {
            var p = new GeoPoint(SeoulBounds.MinLatitude + random.NextDouble() * (SeoulBounds.MaxLatitude - SeoulBounds.MinLatitude),
                SeoulBounds.MinLongitude + random.NextDouble() * (SeoulBounds.MaxLongitude - SeoulBounds.MinLongitude));
            if (locator.Locate(p) is null) continue;
            checkedPoints++;
            var items = await NearbyAsync(token, p, 150, "hydrants");
            Assert.True(items.Count > 0, $"no hydrant within 150 m of ({p.Latitude:F5}, {p.Longitude:F5})");
            Assert.Contains(items[0].GetProperty("properties").GetProperty("type").GetString(), ContextLayerSchema.HydrantTypes);
        }
        var count = await Node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Hydrants).CountAsync();
        Assert.InRange(count, 45_000, 75_000);
    }

    [Fact]
    public async Task The_grid_lookup_finds_exactly_what_a_scan_of_the_layer_finds()
    {
        var generated = new DemoContextGenerator(Node.App.Services.GetRequiredService<DistrictLocator>(), 2017).Generate(ContextLayers.Hydrants).ToArray();
        var layer = Node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Hydrants);
        Assert.Equal(generated.Length, await layer.CountAsync());
        var random = new Random(5);
        for (var n = 0; n < 40; n++)
        {
            var center = new GeoPoint(37.45 + random.NextDouble() * 0.24, 126.83 + random.NextDouble() * 0.32);
            var radius = random.Next(2) == 0 ? 50 + random.NextDouble() * 300 : 1000 + random.NextDouble() * 4000;
            var scanned = generated.Where(f => Math.Round(GeoMath.DistanceMeters(center, f.Position), 1) <= radius)
                .OrderBy(f => Math.Round(GeoMath.DistanceMeters(center, f.Position), 1)).ThenBy(f => f.Id, StringComparer.Ordinal).Take(100).Select(f => f.Id);
            var found = (await layer.NearbyAsync(center, radius, 100)).Select(f => f.Id);
            Assert.Equal(scanned, found);
        }
    }

    [Fact]
    public async Task A_fire_incident_shows_the_nearest_hydrants_hazmat_with_substance_quantity_and_un_number_and_parking_with_height_and_capacity()
    {
        var cad = await Node.TokenAsync("seoul-119", "cad-context", "dispatch-system");
        var incident = await Node.OpenIncidentAsync(cad, new { type = "119-dispatch", latitude = 37.5636, longitude = 126.9976, radiusMeters = 1500 });
        var context = incident.GetProperty("context").EnumerateArray().ToList();
        var hydrants = context.Where(f => f.GetProperty("layer").GetString() == "hydrants").ToList();
        Assert.InRange(hydrants.Count, 1, 5);
        Assert.True(hydrants.Min(h => h.GetProperty("distanceMeters").GetDouble()) <= 150);
        var hazmat = context.Where(f => f.GetProperty("layer").GetString() == "hazmat").ToList();
        Assert.NotEmpty(hazmat);
        Assert.All(hazmat, h =>
        {
            var p = h.GetProperty("properties");
            Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("substance").GetString()));
            Assert.Matches("^UN[0-9]{4}$", p.GetProperty("unNumber").GetString());
            Assert.True(double.Parse(p.GetProperty("quantity").GetString()!, CultureInfo.InvariantCulture) > 0);
            Assert.Contains(p.GetProperty("quantityUnit").GetString(), ContextLayerSchema.QuantityUnits);
        });
        var parking = context.Where(f => f.GetProperty("layer").GetString() == "parking").Select(f => f.GetProperty("properties")).ToList();
        Assert.All(parking, p => Assert.True(int.Parse(p.GetProperty("capacity").GetString()!, CultureInfo.InvariantCulture) > 0));
        Assert.Contains(parking, p => p.TryGetProperty("heightLimitMeters", out var h) && double.Parse(h.GetString()!, CultureInfo.InvariantCulture) is >= 2 and <= 3);
    }

    [Fact]
    public async Task An_imported_layer_is_checked_by_type_row_by_row_and_a_replacement_is_all_or_nothing()
    {
        var admin = await Node.TokenAsync("safetynet-ops", "layers", "platform-admin");
        var file = Collection(
            Feature(126.9781, 37.5661, """{"id":"acid-1","name":"Plating works","substance":"sulfuric acid","unNumber":"1830","quantity":"2.5","quantityUnit":"T"}"""),
            Feature(126.9782, 37.5662, """{"id":"bad-quantity","substance":"chlorine","unNumber":"UN1017","quantity":"lots","quantityUnit":"kg"}"""),
            Feature(126.9783, 37.5663, """{"id":"bad-un","substance":"chlorine","unNumber":"UN10","quantity":5,"quantityUnit":"kg"}"""),
            Feature(126.9784, 37.5664, """{"id":"no-substance","unNumber":"UN1017","quantity":5,"quantityUnit":"kg"}"""),
            Feature(126.9785, 37.5665, """{"id":"bad-unit","substance":"chlorine","unNumber":"UN1017","quantity":5,"quantityUnit":"barrels"}"""),
            Feature(126.9786, 37.5666, """{"id":"nested","substance":{"x":1},"unNumber":"UN1017","quantity":5,"quantityUnit":"kg"}"""));
        var report = await ImportAsync(admin, "hazmat", file, 200);
        Assert.Equal(1, report.GetProperty("imported").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("row").GetInt32(), e => e.GetProperty("reason").GetString()!);
        Assert.Equal([1, 2, 3, 4, 5], errors.Keys.Order());
        Assert.Contains("quantity", errors[1]);
        Assert.Contains("UN number", errors[2]);
        Assert.Contains("needs 'substance'", errors[3]);
        Assert.Contains("kg, t, L, m3", errors[4]);
        var token = await Node.TokenAsync("seoul-119", "layer-reader", "operator");
        var imported = (await NearbyAsync(token, new GeoPoint(37.5661, 126.9781), 5, "hazmat")).Single(f => f.GetProperty("id").GetString() == "acid-1");
        Assert.Equal("UN1830", imported.GetProperty("properties").GetProperty("unNumber").GetString());
        Assert.Equal("t", imported.GetProperty("properties").GetProperty("quantityUnit").GetString());
        Assert.False(imported.GetProperty("sample").GetBoolean());

        // Replacing the shelters with a file that has one bad row changes nothing; a clean file replaces the sample data.
        var sheltersBefore = await Node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Shelters).CountAsync();
        var refused = await ImportAsync(admin, "shelters",
            Collection(Feature(126.98, 37.57, """{"id":"s-1","capacity":300}"""), Feature(126.99, 37.57, """{"id":"s-2","capacity":-5}""")), 400, "?mode=replace");
        Assert.Contains("row 1", refused.GetProperty("detail").GetString());
        Assert.Equal(sheltersBefore, await Node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Shelters).CountAsync());
        await ImportAsync(admin, "shelters", Collection(Feature(126.98, 37.57, """{"id":"s-1","name":"City Hall station","capacity":3000}""")), 200, "?mode=replace");
        Assert.Equal(1, await Node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Shelters).CountAsync());
        await ImportAsync(admin, "shelters", Collection(), 400, "?mode=wipe");
    }

    [Fact]
    public async Task A_layer_published_in_a_Korean_grid_is_read_where_it_stands_and_an_unknown_grid_is_refused()
    {
        var admin = await Node.TokenAsync("safetynet-ops", "grid-layer", "platform-admin");
        // City Hall at E 198,047.53 N 551,862.84 in EPSG:5186 (PROJ; GeoJsonCrsTests), as a city's parking file gives it.
        // (Parking: the hydrants are the generated layer another test scans.)
        var grid = Collection(Feature(198_047.53, 551_862.84, """{"id":"grid-parking-1","capacity":120}""")).Replace(
            "\"features\"", "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::5186\"}},\"features\"");
        Assert.Equal(1, (await ImportAsync(admin, "parking", grid, 200)).GetProperty("imported").GetInt32());
        var token = await Node.TokenAsync("seoul-119", "grid-reader", "operator");
        Assert.Contains(await NearbyAsync(token, new GeoPoint(37.5663, 126.9779), 1, "parking"), f => f.GetProperty("id").GetString() == "grid-parking-1");

        // The same place in the Korean 1985 modified central belt (EPSG:5174, PROJ), as Seoul's older files give it.
        var bessel = Collection(Feature(197_977.91, 451_557.66, """{"id":"grid-parking-3"}""")).Replace(
            "\"features\"", "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:5174\"}},\"features\"");
        Assert.Equal(1, (await ImportAsync(admin, "parking", bessel, 200)).GetProperty("imported").GetInt32());
        Assert.Contains(await NearbyAsync(token, new GeoPoint(37.5663, 126.9779), 1, "parking"), f => f.GetProperty("id").GetString() == "grid-parking-3");
        var unknown = await ImportAsync(admin, "parking", grid.Replace("EPSG::5186", "EPSG::32652"), 400);
        Assert.Contains("EPSG::32652", unknown.GetProperty("detail").GetString());
        var unnamed = await ImportAsync(admin, "parking", Collection(Feature(198_047.53, 551_862.84, """{"id":"grid-parking-2"}""")), 200);
        Assert.Contains("crs", unnamed.GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_city_sized_layer_file_over_the_ordinary_body_limit_imports_in_one_request()
    {
        var admin = await Node.TokenAsync("safetynet-ops", "big-layer", "platform-admin");
        var random = new Random(8);
        var file = Collection([.. Enumerable.Range(0, 8000).Select(i => Feature(126.86 + random.NextDouble() * 0.28, 37.46 + random.NextDouble() * 0.21,
            $$"""{"id":"big-shelter-{{i}}","name":"Shelter {{i}} of a city-wide file","capacity":{{100 + i % 900}}}"""))]);
        Assert.True(Encoding.UTF8.GetByteCount(file) > 1024 * 1024, "the file should be over Api:MaxRequestBodyBytes");
        // The larger limit is no door: anyone but a platform admin is refused before the body is read.
        var operatorToken = await Node.TokenAsync("seoul-119", "big-layer-operator", "operator");
        using (var refused = await Node.SendAsync(HttpMethod.Post, "/api/v1/context/shelters/import", operatorToken, new StringContent(file, Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var anonymous = await Node.SendAsync(HttpMethod.Post, "/api/v1/context/shelters/import", null, new StringContent(file, Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var report = await ImportAsync(admin, "shelters", file, 200);
        Assert.Equal(8000, report.GetProperty("imported").GetInt32());
        Assert.True(await Node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Shelters).CountAsync() >= 8000);
    }

    private async Task<List<JsonElement>> NearbyAsync(string token, GeoPoint p, double radius, string layers) =>
        (await Node.GetJsonAsync(FormattableString.Invariant($"/api/v1/context?lat={p.Latitude}&lon={p.Longitude}&radius={radius}&layers={layers}"), token))
        .GetProperty("items").EnumerateArray().ToList();

    private async Task<JsonElement> ImportAsync(string token, string layer, string geoJson, int expected, string query = "")
    {
        using var response = await Node.SendAsync(HttpMethod.Post, $"/api/v1/context/{layer}/import{query}", token, new StringContent(geoJson, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    private static string Collection(params string[] features) => $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""";

    private static string Feature(double lon, double lat, string properties) =>
        FormattableString.Invariant($$"""{"type":"Feature","geometry":{"type":"Point","coordinates":[{{lon}},{{lat}}]},"properties":{{properties}}}""");
}
