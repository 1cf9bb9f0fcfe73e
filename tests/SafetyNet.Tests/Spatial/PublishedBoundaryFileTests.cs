using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Spatial;

/// <summary>
/// A node pointed at Seoul's boundaries as the national boundary data publishes them (administrative codes in SIG_CD,
/// UTM-K metres, the system named in "crs"), converted from the KOSTAT file by PROJ, reads them as it reads the KOSTAT
/// file: the map is served the same polygons, and cameras land in the same districts.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PublishedBoundaryFileTests
{
    [Fact]
    public async Task A_node_reads_the_national_boundary_data_in_UTM_K_as_it_reads_the_KOSTAT_file()
    {
        var kostat = JsonNode.Parse(await File.ReadAllTextAsync(SharedData.DistrictBoundaries))!;
        var originals = kostat["features"]!.AsArray().ToDictionary(f => (string)f!["properties"]!["code"]!, f => Positions(f!["geometry"]!));
        var grid = await ToGridAsync(originals.Values.SelectMany(p => p).ToArray(), 5179);
        var published = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["crs"] = new JsonObject { ["type"] = "name", ["properties"] = new JsonObject { ["name"] = "urn:ogc:def:crs:EPSG::5179" } },
            ["features"] = new JsonArray(),
        };
        var next = 0;
        foreach (var feature in kostat["features"]!.AsArray())
        {
            var properties = feature!["properties"]!;
            var geometry = feature["geometry"]!.DeepClone();
            foreach (var position in PositionNodes(geometry)) position.ReplaceWith(new JsonArray(grid[next].Easting, grid[next++].Northing));
            published["features"]!.AsArray().Add(new JsonObject
            {
                ["type"] = "Feature",
                ["properties"] = new JsonObject
                {
                    // The administrative code: 11230 here is Dongdaemun-gu, which is Gangnam-gu's statistical code.
                    ["SIG_CD"] = SeoulDistricts.Find((string)properties["code"]!)!.AdministrativeCode,
                    ["SIG_KOR_NM"] = (string)properties["name"]!,
                    ["SIG_ENG_NM"] = (string)properties["name_eng"]!,
                },
                ["geometry"] = geometry,
            });
        }
        var path = Path.Combine(Path.GetTempPath(), $"seoul-utmk-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(path, published.ToJsonString());
        try
        {
            await using var node = await TestNode.StartAsync(cameras: 500, extra: new Dictionary<string, string?> { ["Demo:DistrictBoundaries"] = path });

            var served = await node.Http.GetFromJsonAsync<JsonObject>("/dashboard/districts.geojson");
            var features = served!["features"]!.AsArray();
            Assert.Equal(originals.Keys.Order(), features.Select(f => (string)f!["properties"]!["code"]!).Order());
            foreach (var feature in features)
            {
                var original = originals[(string)feature!["properties"]!["code"]!];
                var read = Positions(feature["geometry"]!);
                Assert.Equal(original.Length, read.Length);
                var worst = original.Zip(read, GeoMath.DistanceMeters).Max();
                Assert.True(worst < 0.01, $"district {feature["properties"]!["code"]}: a vertex came back {worst:F4} m away");
            }

            var token = await node.TokenAsync("safetynet-ops", "importer", "platform-admin");
            var csv = "id,lat,lon,purpose,stream_url\nutmk-cityhall,37.5663,126.9779,traffic,rtsp://10.1.1.1/a\n"
                + "utmk-gangnam,37.4945,127.0648,traffic,rtsp://10.1.1.2/a\nutmk-dongdaemun,37.5792,127.0574,traffic,rtsp://10.1.1.3/a\n";
            using var import = await node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, new StringContent(csv, Encoding.UTF8, "text/csv"));
            Assert.Equal(3, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
            foreach (var (id, district) in new[] { ("utmk-cityhall", "11020"), ("utmk-gangnam", "11230"), ("utmk-dongdaemun", "11060") })
            {
                using var camera = await node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{id}", token);
                Assert.Equal(district, (await camera.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("districtCode").GetString());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The older Korean 1985 grids on the Bessel ellipsoid (Seoul's own datasets are often in the modified central belt,
    /// EPSG:5174), which PROJ shifts to WGS84 with the ten-parameter Korean 1985 to WGS 84 operation: the boundaries
    /// PROJ writes in them are read back vertex for vertex within a centimetre of where they were.
    /// </summary>
    [Theory]
    [InlineData(5174)]
    [InlineData(2097)]
    [InlineData(5178)]
    public async Task Boundaries_in_a_Korean_1985_grid_are_shifted_to_WGS84_as_PROJ_shifts_them(int epsg)
    {
        var kostat = JsonNode.Parse(await File.ReadAllTextAsync(SharedData.DistrictBoundaries))!;
        var originals = kostat["features"]!.AsArray().Select(f => f!.DeepClone()).ToArray();
        var grid = await ToGridAsync(originals.SelectMany(f => Positions(f["geometry"]!)).ToArray(), epsg);
        var next = 0;
        foreach (var feature in originals)
            foreach (var position in PositionNodes(feature["geometry"]!)) position.ReplaceWith(new JsonArray(grid[next].Easting, grid[next++].Northing));
        var published = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["crs"] = new JsonObject { ["type"] = "name", ["properties"] = new JsonObject { ["name"] = $"urn:ogc:def:crs:EPSG::{epsg}" } },
            ["features"] = new JsonArray(originals),
        };

        var boundaries = DistrictBoundaries.Read(new MemoryStream(Encoding.UTF8.GetBytes(published.ToJsonString())), Region.Seoul);

        var expected = kostat["features"]!.AsArray().ToDictionary(f => (string)f!["properties"]!["code"]!, f => Positions(f!["geometry"]!));
        var read = JsonNode.Parse(boundaries.ToGeoJson(Region.Seoul))!["features"]!.AsArray();
        Assert.Equal(expected.Keys.Order(), read.Select(f => (string)f!["properties"]!["code"]!).Order());
        foreach (var feature in read)
        {
            var code = (string)feature!["properties"]!["code"]!;
            var positions = Positions(feature["geometry"]!);
            Assert.Equal(expected[code].Length, positions.Length);
            var worst = expected[code].Zip(positions, GeoMath.DistanceMeters).Max();
            Assert.True(worst < 0.01, $"EPSG:{epsg}, district {code}: a vertex came back {worst:F4} m away");
        }
    }

    private static IEnumerable<JsonNode> PositionNodes(JsonNode geometry)
    {
        IEnumerable<JsonNode> Walk(JsonNode node) => node is JsonArray array && array.Count > 0 && array[0] is JsonValue
            ? [node]
            : node.AsArray().SelectMany(child => Walk(child!));
        return Walk(geometry["coordinates"]!).ToArray();
    }

    private static GeoPoint[] Positions(JsonNode geometry) =>
        PositionNodes(geometry).Select(p => new GeoPoint((double)p[1]!, (double)p[0]!)).ToArray();

    private static async Task<(double Easting, double Northing)[]> ToGridAsync(GeoPoint[] points, int epsg)
    {
        var start = new ProcessStartInfo("cs2cs", ["-f", "%.4f", "EPSG:4326", $"EPSG:{epsg}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var cs2cs = Process.Start(start)!;
        var output = cs2cs.StandardOutput.ReadToEndAsync();
        foreach (var point in points)
            await cs2cs.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{point.Latitude:R} {point.Longitude:R}"));
        cs2cs.StandardInput.Close();
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await cs2cs.WaitForExitAsync();
        Assert.True(cs2cs.ExitCode == 0, await cs2cs.StandardError.ReadToEndAsync());
        Assert.Equal(points.Length, lines.Length);
        // The Korean grids are northing first.
        return lines.Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[0], CultureInfo.InvariantCulture))).ToArray();
    }
}
