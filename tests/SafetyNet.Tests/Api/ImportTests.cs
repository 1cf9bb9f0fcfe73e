using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SafetyNet.Api.Import;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Tests.DashboardUi;
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
    public async Task Latitude_and_longitude_spelt_out_are_read_and_a_column_given_twice_under_two_names_is_named()
    {
        var report = await ImportAsync("id,Latitude,Longitude,purpose,stream_url\nspelt-1,37.5663,126.9779,traffic,rtsp://10.1.2.3/s\n", "text/csv");
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        Assert.Equal("11020", (await CameraAsync("spelt-1")).GetProperty("districtCode").GetString());

        var token = await Node.TokenAsync("safetynet-ops", "importer", "platform-admin");
        using var twice = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token,
            new StringContent("id,lat,lng,lon,purpose,stream_url\n", Encoding.UTF8, "text/csv"));
        Assert.Contains("repeats the column 'lon' (as 'lng' and as 'lon')", await ProblemAssert.IsProblemAsync(twice, 400));
    }

    [Theory]
    [InlineData("application/vnd.ms-excel; charset=euc-kr")]
    [InlineData("application/csv; charset=euc-kr")]
    [InlineData("text/comma-separated-values; charset=euc-kr")]
    public async Task A_csv_labelled_as_Windows_and_other_clients_label_it_is_read_as_csv(string contentType)
    {
        var id = $"label-{Guid.NewGuid():N}"[..20];
        var report = await ImportBytesAsync(KoreanEncoding.Cp949($"id,name,lat,lon,purpose,stream_url\n{id},세종로,37.5725,126.9760,traffic,rtsp://10.1.2.9/s\n"), contentType);
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        Assert.Equal("세종로", (await CameraAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Excels_unicode_text_and_a_tab_separated_list_in_EUC_KR_are_read()
    {
        // Excel's "Unicode text": UTF-16 little-endian with its byte order mark, tab-separated.
        var unicodeText = "id\tname\tlat\tlon\tpurpose\tstream_url\r\ntsv-utf16\t광화문\t37.5759\t126.9768\t교통단속\trtsp://10.1.3.1/s\r\n";
        var report = await ImportBytesAsync([.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes(unicodeText)], "text/tab-separated-values");
        Assert.Equal("tsv", report.GetProperty("format").GetString());
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        Assert.Equal("광화문", (await CameraAsync("tsv-utf16")).GetProperty("name").GetString());

        var korean = await ImportBytesAsync(KoreanEncoding.Cp949(unicodeText.Replace("tsv-utf16", "tsv-cp949")), "text/tab-separated-values; charset=euc-kr");
        Assert.Equal(1, korean.GetProperty("created").GetInt32());
        Assert.Equal("traffic", (await CameraAsync("tsv-cp949")).GetProperty("purpose").GetString());
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

    private async Task<JsonElement> ImportBytesAsync(byte[] body, string contentType)
    {
        var token = await Node.TokenAsync("safetynet-ops", "importer", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, KoreanEncoding.Body(body, contentType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    // As a district office exports its list from Korean Excel ("CSV (comma delimited)"): CP949, the national standard
    // data's column names for position and purpose, Korean purposes (one with no SafetyNet counterpart), a name typed
    // over two lines.
    private const string DistrictExport = """
        id,name,WGS84위도,WGS84경도,설치목적구분,stream_url
        kr-jongno-1,"종로구청 앞
        교차로",37.5735,126.9790,생활방범,rtsp://10.30.1.5/cam
        kr-jongno-2,세종문화회관,37.5725,126.9760,어린이 보호,rtsp://10.30.1.6/cam
        kr-jongno-3,혜화역,37.5822,127.0018,쓰레기단속,rtsp://10.30.1.7/cam
        kr-jongno-4,,37.5740,126.9800,traffic,rtsp://10.30.1.8/cam
        """;

    [Fact]
    public async Task A_district_list_saved_by_Korean_Excel_lands_with_its_Korean_names_when_sent_as_euc_kr()
    {
        var report = await ImportBytesAsync(KoreanEncoding.Cp949(DistrictExport), "text/csv; charset=euc-kr");
        Assert.Equal(3, report.GetProperty("created").GetInt32());
        Assert.Equal("EUC-KR", report.GetProperty("charset").GetString());
        Assert.Equal("EUC-KR", report.GetProperty("declaredCharset").GetString());
        var rejected = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal(5, rejected.GetProperty("row").GetInt32());
        Assert.Contains("'쓰레기단속'", rejected.GetProperty("reason").GetString());

        var first = await CameraAsync("kr-jongno-1");
        Assert.Equal("종로구청 앞\n교차로", first.GetProperty("name").GetString());
        Assert.Equal("crime-prevention", first.GetProperty("purpose").GetString());
        Assert.Equal("child-protection", (await CameraAsync("kr-jongno-2")).GetProperty("purpose").GetString());
        Assert.Equal("traffic", (await CameraAsync("kr-jongno-4")).GetProperty("purpose").GetString());
    }

    [Theory]
    [InlineData("text/csv; charset=euc-kr", "kr-mislabel")]
    [InlineData("application/vnd.ms-excel; charset=ks_c_5601-1987", "kr-mislabel-ks")]
    public async Task The_same_list_saved_as_UTF_8_but_declared_EUC_KR_keeps_its_Korean_names_and_the_report_says_how_it_was_read(string contentType, string prefix)
    {
        var report = await ImportBytesAsync(Encoding.UTF8.GetBytes(DistrictExport.Replace("kr-jongno", prefix)), contentType);
        Assert.Equal("UTF-8", report.GetProperty("charset").GetString());
        Assert.Equal("EUC-KR", report.GetProperty("declaredCharset").GetString());
        Assert.Equal(3, report.GetProperty("created").GetInt32());
        Assert.Contains("'쓰레기단속'", Assert.Single(report.GetProperty("errors").EnumerateArray()).GetProperty("reason").GetString());
        var first = await CameraAsync($"{prefix}-1");
        Assert.Equal("종로구청 앞\n교차로", first.GetProperty("name").GetString());
        Assert.Equal("crime-prevention", first.GetProperty("purpose").GetString());
        Assert.Equal("세종문화회관", (await CameraAsync($"{prefix}-2")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_same_file_sent_without_its_charset_is_refused_or_rejected_by_line_and_nothing_is_stored_garbled()
    {
        var token = await Node.TokenAsync("safetynet-ops", "importer", "platform-admin");
        var export = DistrictExport.Replace("kr-jongno", "kr-nocharset");
        using (var whole = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, KoreanEncoding.Body(KoreanEncoding.Cp949(export), "text/csv")))
            Assert.Contains("charset=euc-kr", await ProblemAssert.IsProblemAsync(whole, 400));
        using (var none = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/kr-nocharset-4", token))
            Assert.Equal(404, (int)none.StatusCode);

        var report = await ImportBytesAsync(KoreanEncoding.Cp949(export.Replace("WGS84위도,WGS84경도,설치목적구분", "lat,lon,purpose")), "text/csv");
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("row").GetInt32(), e => e.GetProperty("reason").GetString()!);
        Assert.Equal([2, 4, 5], errors.Keys.Order());
        Assert.All(errors.Values, reason => Assert.Contains("not valid UTF-8", reason));
        Assert.Contains("charset=euc-kr", errors[2]);
        using (var garbled = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/kr-nocharset-1", token))
            Assert.Equal(404, (int)garbled.StatusCode);
        Assert.Equal("traffic", (await CameraAsync("kr-nocharset-4")).GetProperty("purpose").GetString());
    }

    [Fact]
    public async Task A_geojson_list_in_UTM_K_lands_where_its_cameras_stand()
    {
        // City Hall at E 953,892.21 N 1,952,009.94 in UTM-K (PROJ; GeoJsonCrsTests).
        var geojson = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5179"}},"features":[
              {"type":"Feature","geometry":{"type":"Point","coordinates":[953892.21,1952009.94]},"properties":{"id":"utmk-1","설치목적구분":"생활방범","stream_url":"rtsp://10.40.1.1/s"}}]}
            """;
        Assert.Equal(1, (await ImportAsync(geojson, "application/geo+json")).GetProperty("created").GetInt32());
        var camera = await CameraAsync("utmk-1");
        Assert.Equal("11020", camera.GetProperty("districtCode").GetString());
        Assert.Equal("crime-prevention", camera.GetProperty("purpose").GetString());
        Assert.Equal(37.5663, camera.GetProperty("position").GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(126.9779, camera.GetProperty("position").GetProperty("longitude").GetDouble(), 6);

        var unnamed = await ImportAsync(geojson.Replace("utmk-1", "utmk-2").Replace("\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::5179\"}},", ""), "application/geo+json");
        Assert.Contains("not [longitude, latitude] in degrees", unnamed.GetProperty("errors")[0].GetProperty("reason").GetString());
        var token = await Node.TokenAsync("safetynet-ops", "importer", "platform-admin");
        using var other = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token,
            new StringContent(geojson.Replace("EPSG::5179", "EPSG::32652"), Encoding.UTF8, "application/geo+json"));
        Assert.Contains("EPSG::32652", await ProblemAssert.IsProblemAsync(other, 400));
    }

    [Fact]
    public async Task A_quoted_field_never_closed_is_reported_at_its_line_and_the_rows_before_it_land()
    {
        var csv = "id,lat,lon,purpose,stream_url,name\nopen-before,37.5700,126.9800,traffic,rtsp://a,ok\nopen-1,37.5701,126.9801,traffic,rtsp://b,\"never closed\nopen-2,37.5702,126.9802,traffic,rtsp://c,x\n";
        var report = await ImportAsync(csv, "text/csv");
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("row").GetInt32());
        Assert.Contains("never closed", error.GetProperty("reason").GetString());
    }

    // The national CCTV standard data as data.go.kr publishes it: where installations are, with no camera id or stream.
    private const string StandardData = """
        관리기관명,소재지도로명주소,소재지지번주소,설치목적구분,카메라대수,카메라화소수,촬영방면정보,보관일수,설치연월,관리기관전화번호,WGS84위도,WGS84경도,데이터기준일자
        서울특별시 종로구청,서울특별시 종로구 세종대로 175,서울특별시 종로구 세종로 1-68,생활방범,2,200,360도전방면,30,2019-06,02-2148-1114,37.5725,126.9769,2026-06-30
        """;

    [Theory]
    [InlineData("standard-data-without-streams", "text/csv", "missing", "id, stream_url")]
    [InlineData("header-column-missing", "text/csv", "column", "lat")]
    [InlineData("header-column-repeated", "text/csv", "column", "lon")]
    [InlineData("header-column-unnamed", "text/csv", null, null)]
    [InlineData("header-undecodable", "text/csv", "charset", "UTF-8")]
    [InlineData("not-a-feature-collection", "application/geo+json", null, null)]
    [InlineData("crs-unknown", "application/geo+json", "crs", "EPSG:32652")]
    public async Task A_list_refused_as_a_whole_carries_its_code_and_values_and_nothing_is_imported(string code, string contentType, string? value, string? expected)
    {
        var body = code switch
        {
            "standard-data-without-streams" => Encoding.UTF8.GetBytes(StandardData),
            "header-column-missing" => Encoding.UTF8.GetBytes("id,name\nrefused-1,x\n"),
            "header-column-repeated" => Encoding.UTF8.GetBytes("id,lat,lng,lon,purpose,stream_url\nrefused-1,37.57,126.97,126.97,traffic,rtsp://10.1.1.1/s\n"),
            "header-column-unnamed" => Encoding.UTF8.GetBytes("id,lat,lon,purpose,stream_url,,\nrefused-1,37.57,126.97,traffic,rtsp://10.1.1.1/s,,\n"),
            "header-undecodable" => [.. Encoding.UTF8.GetBytes("id,lat,lon,purpose,stream_url,"), 0xB8, 0xED, .. Encoding.UTF8.GetBytes("\nrefused-1,37.57,126.97,traffic,rtsp://10.1.1.1/s,x\n")],
            "crs-unknown" => Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32652"}},"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[322000,4159000]},"properties":{"id":"refused-1","purpose":"traffic","stream_url":"rtsp://10.1.1.1/s"}}]}"""),
            _ => Encoding.UTF8.GetBytes("""{"type":"Feature","properties":{"id":"refused-1"}}"""),
        };
        var token = await Node.TokenAsync("safetynet-ops", "importer", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, KoreanEncoding.Body(body, contentType));
        await ProblemAssert.IsProblemAsync(response, 400);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(code, problem.GetProperty("reason").GetString());
        if (value is not null) Assert.Equal(expected, problem.GetProperty("values").GetProperty(value).GetString());
        using var camera = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/refused-1", token);
        Assert.Equal(404, (int)camera.StatusCode);
    }

    [Fact]
    public void Every_whole_list_refusal_is_tried_above() =>
        Assert.Equal(
            typeof(ImportRefusals).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order(),
            typeof(ImportTests).GetMethod(nameof(A_list_refused_as_a_whole_carries_its_code_and_values_and_nothing_is_imported))!
                .GetCustomAttributes<InlineDataAttribute>().Select(data => (string)data.GetData(null!).Single()[0]).Order());

    [Fact]
    public async Task Every_way_a_row_is_rejected_carries_its_code_and_the_values_the_dashboard_words_it_with()
    {
        // A camera of Jung-gu that Jongno-gu's list then claims.
        await ImportAsync("id,lat,lon,purpose,stream_url\nrej-moved,37.5663,126.9779,traffic,rtsp://10.50.1.9/s\n", "text/csv");
        // One row for each rejection a district's list can meet; '~' stands for a byte that is not UTF-8.
        var jongnoList = Encoding.UTF8.GetBytes("""
            id,lat,lon,district,purpose,status,heading,fov,ptz,stream_url,onvif_url,name
            rej-ok,37.5735,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,,
            ,37.5735,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,,
            rej-nolat,,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,,
            rej-nan,abc,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,,
            rej-ptz,37.5735,126.9790,,traffic,,,,maybe,rtsp://10.50.1.1/s,,
            rej-incheon,37.4563,126.7052,,traffic,,,,,rtsp://10.50.1.1/s,,
            rej-mismatch,37.5735,126.9790,11230,traffic,,,,,rtsp://10.50.1.1/s,,
            rej-purpose,37.5735,126.9790,,쓰레기단속,,,,,rtsp://10.50.1.1/s,,
            rej-status,37.5735,126.9790,,traffic,broken,,,,rtsp://10.50.1.1/s,,
            rej-heading,37.5735,126.9790,,traffic,,400,,,rtsp://10.50.1.1/s,,
            rej-fov,37.5735,126.9790,,traffic,,,0,,rtsp://10.50.1.1/s,,
            rej-stream,37.5735,126.9790,,traffic,,,,,ftp://10.50.1.1/s,,
            rej-onvif,37.5735,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,ftp://10.50.1.1/onvif,
            rej-foreign,37.4979,127.0276,,traffic,,,,,rtsp://10.50.1.1/s,,
            rej-ok,37.5735,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,,
            rej-moved,37.5735,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,,
            rej-bytes,37.5735,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,,~
            rej-open,37.5735,126.9790,,traffic,,,,,rtsp://10.50.1.1/s,,"never closed
            """).Select(b => b == (byte)'~' ? (byte)0xFF : b).ToArray();
        var token = await Node.TokenAsync("control-jongno", "importer", "district-admin");
        using var jongno = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, KoreanEncoding.Body(jongnoList, "text/csv"));
        var reports = new List<JsonElement> { JsonDocument.Parse(await jongno.Content.ReadAsStringAsync()).RootElement };
        reports.Add(await ImportAsync("id,lat,lon,purpose,stream_url\n\"" + new string('x', CsvRecords.MaxRecordChars + 10) + "\n", "text/csv"));
        reports.Add(await ImportAsync("""
            {"type":"FeatureCollection","features":[
              42,
              {"type":"Feature","geometry":{"type":"LineString","coordinates":[[127,37.5],[127.1,37.6]]},"properties":{"id":"rej-line"}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[953892.21,1952009.94]},"properties":{"id":"rej-grid","purpose":"traffic","stream_url":"rtsp://10.50.1.2/s"}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[126.9790,37.5735]},"properties":{"id":"rej-heading-text","purpose":"traffic","stream_url":"rtsp://10.50.1.2/s","heading":"east"}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[126.9790,37.5735]},"properties":{"id":"rej-ptz-text","purpose":"traffic","stream_url":"rtsp://10.50.1.2/s","ptz":"yes"}}
            ]}
            """, "application/geo+json"));

        Assert.Equal(1, reports[0].GetProperty("created").GetInt32());
        var errors = reports.SelectMany(report => report.GetProperty("errors").EnumerateArray()).ToArray();
        Assert.Equal(reports.Sum(report => report.GetProperty("rejected").GetInt32()), errors.Length);
        var codes = typeof(ImportRejections).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.All(errors, error => Assert.Contains(error.GetProperty("code").GetString(), codes));
        Assert.Equal(codes.Order(), errors.Select(error => error.GetProperty("code").GetString()!).Distinct().Order());
        var byCode = errors.GroupBy(error => error.GetProperty("code").GetString()!).ToDictionary(g => g.Key, g => g.First().GetProperty("values"));
        Assert.Equal("쓰레기단속", byCode[ImportRejections.PurposeUnmapped].GetProperty("purpose").GetString());
        Assert.Equal("11010", byCode[ImportRejections.DistrictMismatch].GetProperty("located").GetString());
        Assert.Equal("11020", byCode[ImportRejections.CameraInOtherDistrict].GetProperty("district").GetString());
        // A refused URL names the rule it broke, with that rule's values, beside the English detail.
        Assert.Equal(UrlRefusals.SchemeNotAllowed, byCode[ImportRejections.StreamUrlRefused].GetProperty("rule").GetString());
        Assert.Equal("ftp", byCode[ImportRejections.StreamUrlRefused].GetProperty("scheme").GetString());
        Assert.Equal(UrlRefusals.SchemeNotAllowed, byCode[ImportRejections.OnvifUrlRefused].GetProperty("rule").GetString());
        Assert.Equal("http, https", byCode[ImportRejections.OnvifUrlRefused].GetProperty("schemes").GetString());

        // Every {name} the dashboard's strings fill in is a value the rejection carries.
        foreach (var language in new[] { "ko", "en" })
        {
            var strings = JsonDocument.Parse(File.ReadAllText(Path.Combine(DashboardFixture.RepositoryRoot(), "silo", "dashboard", "src", "i18n", $"{language}.json"))).RootElement;
            foreach (var (code, values) in byCode)
            {
                var text = strings.GetProperty($"importRejection.{code}").GetString()!;
                foreach (Match placeholder in Regex.Matches(text, @"\{(\w+)\}"))
                    Assert.True(values.TryGetProperty(placeholder.Groups[1].Value, out _), $"{language} importRejection.{code} names {placeholder.Value}, which the rejection does not carry");
            }
        }
    }

    private async Task<int> DistrictCountAsync(string code)
    {
        var token = await Node.TokenAsync("seoul-112", "reader", "operator");
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{code}", token);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("district").GetProperty("cameraCount").GetInt32();
    }
}
