using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Geo;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

[Collection(IncidentNodeCollection.Name)]
public sealed class CapIntakeTests(IncidentNodeFixture fixture)
{
    private static string Alert(string area, string status = "Actual", string msgType = "Alert", string? identifier = null) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
          <identifier>{identifier ?? Guid.NewGuid().ToString("N")}</identifier>
          <sender>safety@seoul.go.kr</sender>
          <sent>2026-11-25T03:00:00+09:00</sent>
          <status>{status}</status>
          <msgType>{msgType}</msgType>
          <scope>Public</scope>
          <info>
            <category>Met</category>
            <event>Flood</event>
            <urgency>Immediate</urgency>
            <severity>Severe</severity>
            <certainty>Observed</certainty>
            <headline>Flash flood at Dorimcheon</headline>
            <area>
              <areaDesc>Sillim-dong underpass</areaDesc>
              {area}
            </area>
          </info>
        </alert>
        """;

    private async Task<HttpResponseMessage> PostAsync(string xml)
    {
        var token = await fixture.Node.TokenAsync("seoul-disaster-room", "cap-gateway", "dispatch-system");
        return await fixture.Node.SendAsync(HttpMethod.Post, "/api/v1/incidents/cap", token, new StringContent(xml, Encoding.UTF8, "application/xml"));
    }

    private async Task<HttpResponseMessage> PostBytesAsync(byte[] body, string contentType)
    {
        var token = await fixture.Node.TokenAsync("seoul-disaster-room", "cap-gateway", "dispatch-system");
        return await fixture.Node.SendAsync(HttpMethod.Post, "/api/v1/incidents/cap", token, KoreanEncoding.Body(body, contentType));
    }

    private static string KoreanAlert(string declaredEncoding) => Alert("<circle>37.4842,126.9297 0.8</circle>")
        .Replace("encoding=\"UTF-8\"", $"encoding=\"{declaredEncoding}\"").Replace("Flash flood at Dorimcheon", "도림천 급류, 신림동 지하차도 통제");

    [Theory]
    [InlineData("EUC-KR", "application/xml")]
    [InlineData("UTF-8", "application/xml; charset=euc-kr")]
    [InlineData("ks_c_5601-1987", "text/xml")]
    public async Task An_alert_in_EUC_KR_named_by_its_declaration_or_its_media_type_keeps_its_Korean_text(string declared, string contentType)
    {
        using var response = await PostBytesAsync(KoreanEncoding.Cp949(KoreanAlert(declared)), contentType);
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("도림천 급류, 신림동 지하차도 통제", incident.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("EUC-KR", "application/xml")]
    [InlineData("UTF-8", "application/cap+xml; charset=cp949")]
    [InlineData("windows-949", "text/xml")]
    public async Task An_alert_in_UTF_8_declared_EUC_KR_keeps_its_Korean_text(string declared, string contentType)
    {
        using var response = await PostBytesAsync(Encoding.UTF8.GetBytes(KoreanAlert(declared)), contentType);
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("도림천 급류, 신림동 지하차도 통제", incident.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("UTF-8", "application/xml", "not valid UTF-8")]
    [InlineData("EUC-KR", "application/xml; charset=utf-8", "not valid UTF-8")]
    [InlineData("Shift_JIS", "application/xml", "UTF-8 or EUC-KR")]
    public async Task An_alert_whose_bytes_are_not_its_charset_is_refused_rather_than_read_as_replacement_characters(string declared, string contentType, string expected)
    {
        using var response = await PostBytesAsync(KoreanEncoding.Cp949(KoreanAlert(declared)), contentType);
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task A_utf8_alert_with_a_byte_order_mark_opens()
    {
        using var response = await PostBytesAsync([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(KoreanAlert("UTF-8"))], "application/xml");
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Contains("도림천", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString());
    }

    // As Korean alerts name their area: districts by administrative code (geocode) or by name (areaDesc), no shape.
    [Theory]
    [InlineData("<areaDesc>서울특별시 관악구</areaDesc><geocode><valueName>G_CODE</valueName><value>1162000000</value></geocode>", 37.464419, 126.948066, 3081)]
    [InlineData("<areaDesc>서울특별시 관악구 신림동</areaDesc>", 37.464419, 126.948066, 3081)]
    [InlineData("<areaDesc>동대문구 일대</areaDesc><geocode><valueName>G_CODE</valueName><value>1123000000</value></geocode>", 37.5792, 127.057416, 2145)]
    [InlineData("<areaDesc>Gwanak-gu, Dongjak-gu</areaDesc>", 37.4806345, 126.9512085, 4905)]
    public async Task An_alert_naming_districts_instead_of_a_shape_opens_over_them(string areaXml, double latitude, double longitude, double radius)
    {
        using var response = await PostAsync(Alert("").Replace("<areaDesc>Sillim-dong underpass</areaDesc>", areaXml));
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(latitude, incident.GetProperty("position").GetProperty("latitude").GetDouble(), 5);
        Assert.Equal(longitude, incident.GetProperty("position").GetProperty("longitude").GetDouble(), 5);
        Assert.Equal(radius, incident.GetProperty("radiusMeters").GetDouble(), 0);
    }

    // An alert may give several areas, and an area several circles or polygons; the incident covers all of them. An area
    // naming no place served here (a neighbouring city's district) adds nothing.
    [Theory]
    [InlineData("two-areas")]
    [InlineData("two-circles")]
    [InlineData("with-a-district-elsewhere")]
    public async Task An_alert_giving_several_places_opens_over_all_of_them(string kind)
    {
        GeoPoint dorimcheon = new(37.4842, 126.9297), daerim = new(37.4930, 126.8950);
        var areas = kind switch
        {
            "two-areas" => "<circle>37.4842,126.9297 0.5</circle></area><area><areaDesc>Daerim-dong</areaDesc><circle>37.4930,126.8950 0.5</circle>",
            "two-circles" => "<circle>37.4842,126.9297 0.5</circle><circle>37.4930,126.8950 0.5</circle>",
            _ => "<circle>37.4842,126.9297 0.5</circle></area><area><areaDesc>경기도 광명시</areaDesc><geocode><valueName>G_CODE</valueName><value>4121000000</value></geocode>"
                + "</area><area><areaDesc>Daerim-dong</areaDesc><circle>37.4930,126.8950 0.5</circle>",
        };
        using var response = await PostAsync(Alert(areas));
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        var center = new GeoPoint(incident.GetProperty("position").GetProperty("latitude").GetDouble(), incident.GetProperty("position").GetProperty("longitude").GetDouble());
        Assert.Equal((dorimcheon.Latitude + daerim.Latitude) / 2, center.Latitude, 6);
        Assert.Equal((dorimcheon.Longitude + daerim.Longitude) / 2, center.Longitude, 6);
        Assert.Equal(GeoMath.DistanceMeters(center, dorimcheon) + 500, incident.GetProperty("radiusMeters").GetDouble(), 0);
        Assert.True(GeoMath.DistanceMeters(center, daerim) + 500 <= incident.GetProperty("radiusMeters").GetDouble() + 1);
    }

    [Theory]
    [InlineData("<areaDesc>서울특별시 전체</areaDesc>")]
    [InlineData("<areaDesc>부산광역시 해운대구</areaDesc><geocode><valueName>G_CODE</valueName><value>2635000000</value></geocode>")]
    [InlineData("<areaDesc>x</areaDesc><geocode><valueName>G_CODE</valueName><value>11</value></geocode>")]
    public async Task An_alert_naming_no_served_district_and_no_shape_is_refused_saying_so(string areaXml)
    {
        using var response = await PostAsync(Alert("").Replace("<areaDesc>Sillim-dong underpass</areaDesc>", areaXml));
        Assert.Contains("names a district served here", await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task A_circle_alert_opens_a_disaster_response_incident()
    {
        using var response = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>"));
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("disaster-response", incident.GetProperty("type").GetString());
        Assert.Equal(800, incident.GetProperty("radiusMeters").GetDouble());
        Assert.Equal(2, incident.GetProperty("priority").GetInt32());
        Assert.Contains("seoul-disaster-room", incident.GetProperty("agencies").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task A_point_given_as_a_circle_of_radius_zero_opens_over_the_cameras_around_it()
    {
        using var response = await PostAsync(Alert("<circle>37.4842,126.9297 0</circle>"));
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(50, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("radiusMeters").GetDouble());
    }

    [Fact]
    public async Task A_polygon_alert_opens_an_incident_at_its_centre()
    {
        using var response = await PostAsync(Alert("<polygon>37.480,126.925 37.480,126.935 37.488,126.935 37.488,126.925 37.480,126.925</polygon>"));
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(37.484, incident.GetProperty("position").GetProperty("latitude").GetDouble(), 3);
    }

    [Theory]
    [InlineData("<alert><broken>", "well-formed")]
    [InlineData("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.1\"/>", "CAP 1.2")]
    [InlineData("CANCEL", "msgType")]
    [InlineData("TEST", "status")]
    [InlineData("NOAREA", "neither")]
    [InlineData("BADCIRCLE", "circle")]
    [InlineData("NEGATIVECIRCLE", "circle")]
    [InlineData("OUTSIDE", "outside Seoul")]
    [InlineData("DTD", "DTD")]
    public async Task Malformed_or_unsupported_alerts_are_refused_with_a_reason(string kind, string expected)
    {
        var xml = kind switch
        {
            "CANCEL" => Alert("<circle>37.48,126.93 1</circle>", msgType: "Cancel"),
            "TEST" => Alert("<circle>37.48,126.93 1</circle>", status: "Test"),
            "NOAREA" => Alert(""),
            "BADCIRCLE" => Alert("<circle>37.48,126.93</circle>"),
            "NEGATIVECIRCLE" => Alert("<circle>37.48,126.93 -1</circle>"),
            "OUTSIDE" => Alert("<circle>35.10,129.04 1</circle>"),
            "DTD" => "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">&x;</alert>",
            _ => kind,
        };
        using var response = await PostAsync(xml);
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400), StringComparison.OrdinalIgnoreCase);
    }
}
