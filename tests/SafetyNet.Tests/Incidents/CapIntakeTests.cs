using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
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
            "OUTSIDE" => Alert("<circle>35.10,129.04 1</circle>"),
            "DTD" => "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">&x;</alert>",
            _ => kind,
        };
        using var response = await PostAsync(xml);
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400), StringComparison.OrdinalIgnoreCase);
    }
}
