using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>GET /api/v1/cameras/access-overview over real HTTP: it must agree with the access decision on real cameras.</summary>
[Collection(NodeCollection.Name)]
public sealed class AccessOverviewTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private async Task<JsonElement> OverviewAsync(string token)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", token);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    private static JsonElement Cell(JsonElement overview, string district, string purpose) =>
        overview.GetProperty("districts").EnumerateArray()
            .Single(c => c.GetProperty("districtCode").GetString() == district && c.GetProperty("purpose").GetString() == purpose);

    /// <summary>An online camera of that district and purpose, and the real decision on it for this session.</summary>
    private async Task<JsonElement> DecisionOnACameraAsync(string token, string district, string purpose, string query = "")
    {
        using var list = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras?district={district}&pageSize=20000", token);
        var camera = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties"))
            .First(p => p.GetProperty("purpose").GetString() == purpose && p.GetProperty("status").GetString() == "online")
            .GetProperty("id").GetString();
        using var access = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/access?purpose=monitoring{query}", token);
        return await access.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Every_district_and_purpose_is_classified_as_the_access_rules_decide_for_a_real_camera()
    {
        // Seongdong never shares traffic cameras with police stations, for this test.
        var admin = await Node.TokenAsync("control-seongdong", "admin-seongdong", "district-admin");
        await using (await PolicyOverride.SetAsync(Node, admin, "11040", "police-station", "traffic", "never"))
        {
            var (_, token) = await Node.SessionAsync("police-jung", "overview-officer");
            var overview = await OverviewAsync(token);
            Assert.Equal("police-jung", overview.GetProperty("agencyId").GetString());
            Assert.Equal(25 * 6, overview.GetProperty("districts").GetArrayLength());

            (string District, string Purpose, string Access, string Reason)[] expected =
            [
                ("11020", "crime-prevention", "allowed", "standing-policy"),
                ("11010", "crime-prevention", "during-incident", "outside-jurisdiction"),
                ("11020", "traffic", "during-incident", "incident-required"),
                ("11040", "traffic", "denied", "policy-never"),
            ];
            foreach (var (district, purpose, access, reason) in expected)
            {
                var cell = Cell(overview, district, purpose);
                Assert.Equal(access, cell.GetProperty("access").GetString());
                Assert.Equal(reason, cell.GetProperty("reason").GetString());
                var decision = await DecisionOnACameraAsync(token, district, purpose);
                Assert.Equal(access == "allowed", decision.GetProperty("allowed").GetBoolean());
                Assert.Equal(reason, decision.GetProperty("reason").GetString());
            }
        }
    }

    [Fact]
    public async Task Cameras_an_incident_grants_are_listed_for_the_responding_agency_only()
    {
        var cad = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
        using var open = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", cad, JsonContent.Create(new
        {
            type = "112-emergency-video", latitude = 37.5400, longitude = 127.0500, priority = 2, externalReference = $"112-OVERVIEW-{Guid.NewGuid():N}",
        }));
        var incident = await open.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(open.IsSuccessStatusCode, incident.ToString());
        var incidentId = incident.GetProperty("id").GetString()!;
        var agencies = incident.GetProperty("agencies").EnumerateArray().Select(a => a.GetString()).ToArray();
        Assert.Contains("seoul-112", agencies);
        Assert.DoesNotContain("seoul-119", agencies);
        try
        {
            var (_, police) = await Node.SessionAsync("seoul-112", "overview-112");
            var granted = (await OverviewAsync(police)).GetProperty("grantedCameras").EnumerateArray()
                .Where(g => g.GetProperty("incidentId").GetString() == incidentId).ToArray();
            Assert.NotEmpty(granted);
            foreach (var g in granted.Take(5))
            {
                using var access = await Node.SendAsync(HttpMethod.Get,
                    $"/api/v1/cameras/{g.GetProperty("cameraId").GetString()}/access?purpose={g.GetProperty("purpose").GetString()}&incident={incidentId}", police);
                var decision = await access.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(decision.GetProperty("allowed").GetBoolean(), decision.ToString());
                Assert.Equal("incident-grant", decision.GetProperty("reason").GetString());
            }

            var (_, fire) = await Node.SessionAsync("seoul-119", "overview-119");
            Assert.DoesNotContain((await OverviewAsync(fire)).GetProperty("grantedCameras").EnumerateArray(),
                g => g.GetProperty("incidentId").GetString() == incidentId);
        }
        finally
        {
            using var close = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{incidentId}/close", cad, JsonContent.Create(new { reason = "test over" }));
        }
    }

    [Fact]
    public async Task Without_a_live_session_of_its_own_the_caller_gets_a_403_problem()
    {
        var sessionless = await Node.TokenAsync("seoul-112", "no-session", "operator");
        using (var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", sessionless))
            Assert.Contains("No operator session", await ProblemAssert.IsProblemAsync(response, 403));

        var auditor = await Node.TokenAsync("seoul-audit", "privacy-officer", "auditor");
        using (var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", auditor))
            await ProblemAssert.IsProblemAsync(response, 403);

        var (sessionId, token) = await Node.SessionAsync("seoul-112", "logged-out");
        using (var end = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/sessions/{sessionId}", token))
            Assert.True(end.IsSuccessStatusCode);
        using (var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", token))
            Assert.Contains("session has expired", await ProblemAssert.IsProblemAsync(response, 403));

        using (var anonymous = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", null))
            Assert.Equal(401, (int)anonymous.StatusCode);
    }
}
