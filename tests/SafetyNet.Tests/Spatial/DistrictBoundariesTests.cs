using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Reference;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Spatial;

/// <summary>
/// Boundary files as Korean agencies publish them, not only the KOSTAT file in ../shared: administrative codes and names,
/// the national grid, several features per district, holes; a file the node cannot use stops it with the reason.
/// </summary>
public sealed class DistrictBoundariesTests
{
    private static readonly GeoPoint CityHall = new(37.5663, 126.9779);
    private static readonly DistrictReference JungGu = SeoulDistricts.Find("11020")!;

    private static DistrictBoundaries Read(string json) => DistrictBoundaries.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), Region.Seoul);

    private static string Collection(string? crs, params string[] features) =>
        "{\"type\":\"FeatureCollection\","
        + (crs is null ? "" : "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + crs + "\"}},")
        + "\"features\":[" + string.Join(",", features) + "]}";

    private static string Feature(string properties, params double[][][] rings) =>
        "{\"type\":\"Feature\",\"properties\":" + properties + ",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + JsonSerializer.Serialize(rings) + "}}";

    // A closed square ring of half-side `half` around (x, y), in the file's own units.
    private static double[][] Square(double x, double y, double half) =>
        [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half], [x - half, y - half]];

    private static double[][] Around(GeoPoint p, double halfDegrees) => Square(p.Longitude, p.Latitude, halfDegrees);

    [Fact]
    public void The_shared_KOSTAT_file_gives_every_Seoul_district_its_boundary()
    {
        var boundaries = DistrictBoundaries.Load(SharedData.DistrictBoundaries, Region.Seoul, NullLogger.Instance);
        Assert.Equal(25, boundaries.Codes.Count);
        Assert.Empty(boundaries.Unused);
        Assert.Empty(boundaries.Missing);
        Assert.Equal(4326, boundaries.Crs.Epsg);
        Assert.True(boundaries.Contains("11020", CityHall));
    }

    [Fact]
    public void A_boundary_in_UTM_K_with_an_administrative_code_is_matched_by_its_name_and_read_in_degrees()
    {
        // City Hall is at E 953,892 N 1,952,010 in UTM-K (PROJ; GeoJsonCrsTests); a 600 m square around it. 11140 is
        // Jung-gu's administrative code, not the statistical 11020 served here.
        var boundaries = Read(Collection("urn:ogc:def:crs:EPSG::5179",
            Feature("""{"SIG_CD":"11140","SIG_KOR_NM":"중구","SIG_ENG_NM":"Jung-gu"}""", Square(953_892, 1_952_010, 300))));
        Assert.Equal(["11020"], boundaries.Codes);
        Assert.Equal(5179, boundaries.Crs.Epsg);
        Assert.True(boundaries.Contains("11020", CityHall));
        Assert.False(boundaries.Contains("11020", new GeoPoint(CityHall.Latitude + 0.005, CityHall.Longitude)));
        var box = boundaries.BoxOf("11020")!;
        Assert.InRange(GeoMath.DistanceMeters(new GeoPoint(box.MinLatitude, box.MinLongitude), new GeoPoint(box.MaxLatitude, box.MaxLongitude)), 840, 860);
        Assert.Equal(24, boundaries.Missing.Count);
    }

    [Theory]
    [InlineData("""{"adm_cd":"11110","adm_nm":"서울특별시 종로구"}""", "11010")]
    [InlineData("""{"SIG_ENG_NM":"Jongno-Gu"}""", "11010")]
    [InlineData("""{"name_eng":"jongno gu"}""", "11010")]
    [InlineData("""{"code":11010}""", "11010")]
    [InlineData("""{"SIG_CD":"11110","SIG_KOR_NM":"종로구"}""", "11010")]
    [InlineData("""{"SIG_CD":"11230"}""", "11060")]
    [InlineData("""{"adm_cd":"1123051000"}""", "11060")]
    public void Codes_and_names_are_matched_as_agencies_write_them(string properties, string expected)
    {
        var jongno = SeoulDistricts.Find(expected)!;
        Assert.Equal([expected], Read(Collection(null, Feature(properties, Around(jongno.Centroid, 0.005)))).Codes);
    }

    [Fact]
    public void Several_features_of_one_district_are_joined_and_a_hole_is_not_the_district()
    {
        var east = new GeoPoint(JungGu.Centroid.Latitude, JungGu.Centroid.Longitude + 0.02);
        var boundaries = Read(Collection(null,
            Feature("""{"code":"11020"}""", Around(JungGu.Centroid, 0.005), Around(JungGu.Centroid, 0.001)),
            Feature("""{"name":"중구"}""", Around(east, 0.003))));
        Assert.True(boundaries.Contains("11020", new GeoPoint(JungGu.Centroid.Latitude + 0.003, JungGu.Centroid.Longitude)));
        Assert.False(boundaries.Contains("11020", JungGu.Centroid));
        Assert.True(boundaries.Contains("11020", east));

        var asServed = Read(boundaries.ToGeoJson(Region.Seoul));
        Assert.Equal(boundaries.Codes, asServed.Codes);
        Assert.False(asServed.Contains("11020", JungGu.Centroid));
        Assert.True(asServed.Contains("11020", east));
    }

    [Fact]
    public void A_point_inside_a_finer_boundary_but_past_the_embedded_box_is_located_in_its_district()
    {
        var north = new GeoPoint(JungGu.MaxLatitude + 0.002, JungGu.Centroid.Longitude);
        var boundaries = Read(Collection(null, Feature("""{"code":"11020"}""",
            Square(JungGu.Centroid.Longitude, (JungGu.MinLatitude + north.Latitude + 0.001) / 2, (north.Latitude + 0.001 - JungGu.MinLatitude) / 2))));
        Assert.True(boundaries.Contains("11020", north));
        Assert.Equal("11020", new DistrictLocator(boundaries, Region.Seoul).Locate(north));
    }

    [Fact]
    public void A_feature_that_cannot_be_used_is_set_aside_with_why_and_the_rest_are_read()
    {
        var boundaries = Read(Collection(null,
            Feature("""{"code":"11020"}""", Around(JungGu.Centroid, 0.005)),
            """{"type":"Feature","properties":{"name":"종로구"},"geometry":null}""",
            Feature("""{"SIG_KOR_NM":"해운대구"}""", Around(JungGu.Centroid, 0.005))));
        Assert.Equal(["11020"], boundaries.Codes);
        Assert.Equal(2, boundaries.Unused.Count);
        Assert.Contains("no geometry", boundaries.Unused[0]);
        Assert.Contains("해운대구", boundaries.Unused[1]);
    }

    [Theory]
    [InlineData("unmatched", "None of its 1 features")]
    [InlineData("unknown-grid", "not read here")]
    [InlineData("metres", "not [longitude, latitude] in degrees")]
    [InlineData("swapped", "not [longitude, latitude] in degrees")]
    [InlineData("elsewhere", "not where district 11020 (Jung-gu) is")]
    [InlineData("line", "a Polygon or a MultiPolygon")]
    [InlineData("not-a-collection", "not a GeoJSON FeatureCollection")]
    public void A_file_the_node_cannot_use_says_why(string kind, string expected)
    {
        var json = kind switch
        {
            "unmatched" => Collection(null, Feature("""{"SIG_CD":"26110","SIG_KOR_NM":"해운대구"}""", Around(JungGu.Centroid, 0.005))),
            "unknown-grid" => Collection("EPSG:32652", Feature("""{"code":"11020"}""", Square(322_000, 4_159_000, 300))),
            "metres" => Collection(null, Feature("""{"code":"11020"}""", Square(953_892, 1_952_010, 300))),
            "swapped" => Collection(null, Feature("""{"code":"11020"}""", Square(JungGu.Centroid.Latitude, JungGu.Centroid.Longitude, 0.005))),
            "elsewhere" => Collection(null, Feature("""{"code":"11020"}""", Around(new GeoPoint(35.1796, 129.0756), 0.005))),
            "line" => Collection(null, """{"type":"Feature","properties":{"code":"11020"},"geometry":{"type":"LineString","coordinates":[[126.99,37.55],[127,37.56]]}}"""),
            _ => "[]",
        };
        var failure = Assert.Throws<InvalidDataException>(() => Read(json));
        Assert.Contains(expected, failure.Message);
    }

    [Fact]
    public void A_file_naming_no_served_district_is_refused_at_start_naming_the_setting_and_a_usable_one_is_read_once()
    {
        var path = Path.Combine(Path.GetTempPath(), $"boundaries-{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, Collection(null, Feature("""{"SIG_CD":"26110","SIG_KOR_NM":"해운대구"}""", Around(JungGu.Centroid, 0.005))));
        try
        {
            var file = new DistrictBoundariesFile(NullLogger<DistrictBoundaries>.Instance);
            var options = new DemoOptions { DistrictBoundaries = path };
            var refused = file.Validate(null, options);
            Assert.True(refused.Failed);
            Assert.StartsWith("Demo:DistrictBoundaries (", refused.FailureMessage);
            Assert.Contains("해운대구", refused.FailureMessage);

            // The check at start and the locator share one reading: the file changed after the check is not read again.
            File.WriteAllText(path, Collection(null, Feature("""{"code":"11020"}""", Around(JungGu.Centroid, 0.005))));
            Assert.True(file.Validate(null, options).Succeeded);
            var checkedAtStart = file.For(options);
            File.Delete(path);
            Assert.Same(checkedAtStart, file.For(new DemoOptions { DistrictBoundaries = path }));
            Assert.Null(file.For(new DemoOptions { DistrictBoundaries = "" }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
