using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

[Collection(NodeCollection.Name)]
public sealed class ImportTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private async Task<JsonElement> ImportAsync(string body, string contentType, string role = "platform-admin", string agency = "safetynet-ops", int expectedStatus = 200)
    {
        var token = await Node.TokenAsync(agency, "importer", role);
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> CameraAsync(string id)
    {
        var token = await Node.TokenAsync("seoul-112", "reader", "operator");
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{id}", token);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_good_csv_lands_with_districts_derived_from_positions()
    {
        var csv = """
            id,lat,lon,purpose,status,heading,fov,ptz,stream_url,name
            imp-cityhall,37.5663,126.9779,crime-prevention,online,90,60,false,rtsp://10.20.1.5:554/cam,"City Hall, east gate"
            imp-gangnam,37.5126,127.0590,traffic,,,,true,rtsp://10.20.1.6:554/cam2,COEX
            """;
        var report = await ImportAsync(csv, "text/csv");
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        Assert.Equal(0, report.GetProperty("rejected").GetInt32());
        var cityHall = await CameraAsync("imp-cityhall");
        Assert.Equal("11020", cityHall.GetProperty("districtCode").GetString());
        Assert.Equal("City Hall, east gate", cityHall.GetProperty("name").GetString());
        Assert.Equal("11230", (await CameraAsync("imp-gangnam")).GetProperty("districtCode").GetString());
    }

    [Fact]
    public async Task Bad_rows_are_reported_by_line_and_the_good_rows_still_land()
    {
        var csv = """
            id,lat,lon,purpose,stream_url
            bad-good-1,37.5700,126.9800,traffic,rtsp://a
            bad-1,37.5700,abc,traffic,rtsp://a
            bad-2,37.5700,126.9800,laser,rtsp://a
            bad-3,35.1796,129.0756,traffic,rtsp://busan
            ,37.5700,126.9800,traffic,rtsp://a
            bad-good-2,37.5710,126.9810,parking,rtsp://b
            """;
        var report = await ImportAsync(csv, "text/csv");
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        Assert.Equal(4, report.GetProperty("rejected").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("row").GetInt32(), e => e.GetProperty("reason").GetString()!);
        Assert.Equal([3, 4, 5, 6], errors.Keys.Order().ToArray());
        Assert.Contains("not a number", errors[3]);
        Assert.Contains("purpose", errors[4]);
        Assert.Contains("outside every district", errors[5]);
        Assert.Contains("id is required", errors[6]);
        await CameraAsync("bad-good-2");
    }

    [Fact]
    public async Task Re_running_an_import_updates_and_creates_no_duplicates()
    {
        var geojson = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","geometry":{"type":"Point","coordinates":[127.0017,37.5512]},"properties":{"id":"rerun-1","purpose":"disaster","stream_url":"rtsp://x/1"}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[127.0020,37.5515]},"properties":{"id":"rerun-2","purpose":"facility","stream_url":"rtsp://x/2","heading":45,"fov":90}},
              {"type":"Feature","geometry":{"type":"LineString","coordinates":[[127,37.5],[127.1,37.6]]},"properties":{"id":"rerun-bad"}}
            ]}
            """;
        var first = await ImportAsync(geojson, "application/geo+json");
        Assert.Equal(2, first.GetProperty("created").GetInt32());
        Assert.Equal(2, first.GetProperty("errors")[0].GetProperty("row").GetInt32());
        var districtBefore = await DistrictCountAsync("11040");

        var second = await ImportAsync(geojson.Replace("\"heading\":45", "\"heading\":50"), "application/geo+json");
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(1, second.GetProperty("updated").GetInt32());
        Assert.Equal(districtBefore, await DistrictCountAsync("11040"));
        Assert.Equal(50, (await CameraAsync("rerun-2")).GetProperty("headingDegrees").GetDouble());
    }

    [Fact]
    public async Task A_position_outside_Seoul_is_rejected_with_a_reason()
    {
        var report = await ImportAsync("id,lat,lon,purpose,stream_url\nincheon-1,37.4563,126.7052,traffic,rtsp://x\n", "text/csv");
        Assert.Equal(0, report.GetProperty("created").GetInt32());
        Assert.Contains("outside every district", report.GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_district_admin_imports_only_into_their_own_district()
    {
        var csv = "id,lat,lon,purpose,stream_url\nown-1,37.5735,126.9790,traffic,rtsp://x\nforeign-1,37.4979,127.0276,traffic,rtsp://y\n";
        var report = await ImportAsync(csv, "text/csv", role: "district-admin", agency: "control-jongno");
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        Assert.Contains("own district", report.GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_a_feature_collection_is_400()
    {
        var token = await Node.TokenAsync("safetynet-ops", "importer", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, new StringContent("{\"type\":\"Feature\"}", Encoding.UTF8, "application/geo+json"));
        Assert.Contains("FeatureCollection", await ProblemAssert.IsProblemAsync(response, 400));
        using var csv = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, new StringContent("name,lat\nx,1\n", Encoding.UTF8, "text/csv"));
        Assert.Contains("required column", await ProblemAssert.IsProblemAsync(csv, 400));
    }

    private async Task<int> DistrictCountAsync(string code)
    {
        var token = await Node.TokenAsync("seoul-112", "reader", "operator");
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{code}", token);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("district").GetProperty("cameraCount").GetInt32();
    }
}
