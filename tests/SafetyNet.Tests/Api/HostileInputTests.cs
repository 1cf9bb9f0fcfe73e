using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>The kinds of input a fuzzer found answered with 500: each is now a 4xx ProblemDetails that says what is wrong.</summary>
[Collection(NodeCollection.Name)]
public sealed class HostileInputTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private static StringContent Body(string text, string contentType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Theory]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=\"utf-16\"")]
    [InlineData("application/json; charset=no-such-charset")]
    public async Task A_non_utf8_charset_on_the_anonymous_token_endpoint_is_415(string contentType)
    {
        using var response = await Node.Http.PostAsync("/api/v1/auth/token",
            Body("""{"agencyId":"seoul-112","operatorId":"kim","role":"operator"}""", contentType));
        Assert.Contains("only UTF-8", await ProblemAssert.IsProblemAsync(response, 415));
    }

    [Theory]
    [InlineData(HttpMethod_Put, "/api/v1/agencies/charset-unit", "application/json; charset=utf-7")]
    [InlineData(HttpMethod_Post, "/api/v1/cameras/import", "text/csv; charset=shift_jis")]
    [InlineData(HttpMethod_Post, "/api/v1/cameras/import", "application/geo+json; charset=euc-kr")]
    [InlineData(HttpMethod_Post, "/api/v1/incidents/cap", "application/xml; charset=utf-16")]
    [InlineData(HttpMethod_Post, "/api/v1/context/parking/import", "application/geo+json; charset=utf-7")]
    public async Task A_non_utf8_charset_on_any_endpoint_with_a_body_is_415(string method, string path, string contentType)
    {
        var token = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        using var response = await Node.SendAsync(new HttpMethod(method), path, token, Body("{}", contentType));
        Assert.Contains("only UTF-8", await ProblemAssert.IsProblemAsync(response, 415));
    }

    [Fact]
    public async Task Utf8_declared_explicitly_is_still_accepted()
    {
        using var response = await Node.Http.PostAsync("/api/v1/auth/token",
            Body("""{"agencyId":"seoul-112","operatorId":"kim","role":"operator"}""", "application/json; charset=UTF-8"));
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("id,lat,lon,purpose,stream_url,lat\n", "repeats the column 'lat'")]
    [InlineData("id,ID,lat,lon,purpose,stream_url\n", "repeats the column 'id'")]
    [InlineData("id,,lat,lon,purpose,,stream_url\n", "more than one empty column name")]
    public async Task A_csv_header_that_repeats_a_column_is_400_naming_it(string header, string expected)
    {
        var token = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token,
            Body(header + "dup-1,37.5663,126.9779,traffic,rtsp://10.1.2.3/s,37.5\n", "text/csv"));
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400));
    }

    // A district admin's file of rows whose fields are each most of a megabyte: every rejection used to echo its values
    // (the id, the text that is not a number, the purpose) into the report, so 43 MB sent became about 90 MB held and
    // written back. What the report repeats of a row is cut.
    [Fact]
    public async Task A_list_of_huge_rejected_fields_is_answered_with_a_small_report()
    {
        var huge = new string('x', 900_000);
        var csv = new StringBuilder("id,lat,lon,purpose,stream_url,status\n");
        for (var i = 0; i < 12; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{huge}{i},37.5663,126.9779,traffic,rtsp://10.1.2.3/s,\n");
            csv.Append(CultureInfo.InvariantCulture, $"huge-{i},{huge},126.9779,traffic,rtsp://10.1.2.3/s,\n");
            csv.Append(CultureInfo.InvariantCulture, $"huge-purpose-{i},37.5663,126.9779,{huge},rtsp://10.1.2.3/s,\n");
            csv.Append(CultureInfo.InvariantCulture, $"huge-status-{i},37.5663,126.9779,traffic,rtsp://10.1.2.3/s,{huge}\n");
        }
        var token = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, Body(csv.ToString(), "text/csv"));
        var report = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(48, JsonDocument.Parse(report).RootElement.GetProperty("rejected").GetInt32());
        Assert.True(report.Length < 200_000, $"the report of 48 rejected rows is {report.Length:N0} characters");
    }

    [Fact]
    public async Task A_context_layer_of_many_bad_features_is_answered_with_a_bounded_report()
    {
        var lines = Enumerable.Range(0, 1_500).Select(_ => """{"type":"Feature","geometry":{"type":"LineString","coordinates":[[127,37.5],[127.1,37.6]]},"properties":{}}""");
        var repeated = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[126.9779,37.5663]},\"properties\":{\"id\":\"hostile-1\",\""
            + new string('p', 500_000) + "\":[1]}}";
        var body = "{\"type\":\"FeatureCollection\",\"features\":[" + repeated + "," + string.Join(",", lines) + "]}";
        var token = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/context/parking/import", token, Body(body, "application/geo+json"));
        var report = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        var root = JsonDocument.Parse(report).RootElement;
        Assert.Equal(1_501, root.GetProperty("rejected").GetInt32());
        Assert.Equal(1_000, root.GetProperty("errors").GetArrayLength());
        Assert.True(report.Length < 200_000, $"the report is {report.Length:N0} characters");
    }

    [Theory]
    [InlineData("""{"type":7,"features":[]}""")]
    [InlineData("""{"type":{"name":"FeatureCollection"},"features":[]}""")]
    [InlineData("""[]""")]
    [InlineData("\"x\"")]
    public async Task A_geojson_import_whose_type_is_not_the_string_FeatureCollection_is_400(string body)
    {
        var token = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, Body(body, "application/geo+json"));
        Assert.Contains("FeatureCollection", await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Theory]
    [InlineData("""{"type":5,"coordinates":[126.9779,37.5663]}""")]
    [InlineData("""{"type":["Point"],"coordinates":[126.9779,37.5663]}""")]
    public async Task A_geojson_feature_with_a_non_string_geometry_type_is_a_rejected_row(string geometry)
    {
        var token = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        var body = $$$"""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{{{geometry}}},"properties":{"id":"fuzz-geo-1","purpose":"traffic","stream_url":"rtsp://10.1.2.3/s"}}]}""";
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, Body(body, "application/geo+json"));
        Assert.Equal(200, (int)response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, report.GetProperty("rejected").GetInt32());
        Assert.Contains("Point with numeric", report.GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task A_context_import_whose_body_is_not_an_object_is_400(string body)
    {
        var token = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/context/parking/import", token, Body(body, "application/geo+json"));
        Assert.Contains("FeatureCollection", await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[126.9779,1e400]}""", "{}", "not [longitude, latitude] in degrees")]
    [InlineData("""{"type":"Point","coordinates":[129.0756,35.1796]}""", "{}", "outside Seoul")]
    [InlineData("""{"type":"Point","coordinates":[126.9779,37.5663]}""", """{"id":"fz-1","id":"fz-2"}""", "repeat 'id'")]
    [InlineData("""{"type":"Point","coordinates":[126.9779,37.5663]}""", """{"id":" "}""", "blank")]
    public async Task A_context_feature_out_of_range_with_a_repeated_property_or_a_blank_id_is_a_rejected_row(string geometry, string properties, string reason)
    {
        var token = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        var body = $$$"""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{{{geometry}}},"properties":{{{properties}}}}]}""";
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/context/hydrants/import", token, Body(body, "application/geo+json"));
        Assert.Equal(200, (int)response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, report.GetProperty("imported").GetInt32());
        Assert.Contains(reason, report.GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_null_in_an_array_of_ids_is_400()
    {
        var admin = await Node.TokenAsync("safetynet-ops", "fuzz", "platform-admin");
        using var agency = await Node.SendAsync(HttpMethod.Put, "/api/v1/agencies/null-district-unit", admin,
            Body("""{"name":"Null District Unit","kind":"police-patrol","cityWide":false,"districts":[null]}""", "application/json"));
        Assert.Contains("only strings", await ProblemAssert.IsProblemAsync(agency, 400));

        var dispatcher = await Node.TokenAsync("seoul-112", "fuzz-cad", "dispatch-system");
        using var incident = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", dispatcher,
            Body("""{"type":"112-dispatch","latitude":37.5663,"longitude":126.9779,"agencies":["seoul-112",null]}""", "application/json"));
        Assert.Contains("only strings", await ProblemAssert.IsProblemAsync(incident, 400));
    }

    [Theory]
    [InlineData(HttpMethod_Get, "/api/v1/cameras/%20", "id")]
    [InlineData(HttpMethod_Get, "/api/v1/cameras/%20%09/access", "id")]
    [InlineData(HttpMethod_Post, "/api/v1/incidents/%20/close", "id")]
    [InlineData(HttpMethod_Get, "/api/v1/incidents/%20", "id")]
    [InlineData(HttpMethod_Post, "/api/v1/sessions/%1F/heartbeat", "id")]
    [InlineData(HttpMethod_Get, "/api/v1/agencies/%0A", "id")]
    [InlineData(HttpMethod_Get, "/api/v1/districts/%20", "code")]
    [InlineData(HttpMethod_Post, "/api/v1/context/%20/import", "layer")]
    [InlineData(HttpMethod_Get, "/media/%20/index.m3u8", "cameraId")]
    public async Task A_blank_or_control_character_id_in_any_route_is_400(string method, string path, string parameter)
    {
        var (_, token) = await Node.SessionAsync("seoul-112", "fuzz-viewer");
        using var response = await Node.SendAsync(new HttpMethod(method), path, token, method == HttpMethod_Post ? Body("{}", "application/json") : null);
        Assert.Contains($"The {parameter} in the path is blank", await ProblemAssert.IsProblemAsync(response, 400));
    }

    private const string HttpMethod_Get = "GET";
    private const string HttpMethod_Post = "POST";
    private const string HttpMethod_Put = "PUT";
}
