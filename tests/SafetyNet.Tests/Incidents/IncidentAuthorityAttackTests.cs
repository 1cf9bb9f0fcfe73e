using System.Net.Http;
using System.Text;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>Issue 10, item 2: every self-granted incident of the report, reproduced against a real node and refused.</summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentAuthorityAttackTests(IncidentNodeFixture fixture)
{
    private TestNode Node => fixture.Node;
    private const double JungLat = 37.5637, JungLon = 126.9975;

    [Fact]
    public async Task A_police_station_cannot_open_a_112_incident_in_another_district_naming_only_itself()
    {
        var (_, gangnam) = await Node.SessionAsync("police-gangnam", "officer-attack");
        var detail = await Node.RefusedAsync("/api/v1/incidents", gangnam, new
        {
            type = "112-emergency-video", latitude = JungLat, longitude = JungLon, agencies = new[] { "police-gangnam" },
            justification = "I want to look at Jung-gu",
        }, 403);
        Assert.Equal("police-gangnam is a police-station; 112-emergency-video incidents are opened only by police-112-center.", detail);

        var mine = await Node.GetJsonAsync("/api/v1/incidents?type=112-emergency-video", gangnam);
        Assert.DoesNotContain(mine.GetProperty("items").EnumerateArray(), i => i.GetProperty("openerAgencyId").GetString() == "police-gangnam");
        var auditor = await Node.TokenAsync(IncidentCalls.PrivacyOfficer.Agency, IncidentCalls.PrivacyOfficer.Operator, "auditor");
        var refusals = await Node.GetJsonAsync("/api/v1/audit?agency=police-gangnam&kind=incident-open&outcome=deny", auditor);
        Assert.Contains(refusals.GetProperty("items").EnumerateArray(), r => r.GetProperty("entry").GetProperty("actor").GetString() == "police-gangnam/officer-attack");
    }

    [Fact]
    public async Task Nobody_names_a_responder_of_a_kind_the_type_does_not_allow()
    {
        var jung = await Node.TokenAsync("police-jung", "officer-jung", "operator");
        Assert.Contains("police-station", await Node.RefusedAsync("/api/v1/incidents", jung, new
        {
            type = "112-emergency-video", latitude = JungLat, longitude = JungLon, agencies = new[] { "fire-gangnam" }, justification = "help",
        }, 403));

        var cad = await Node.TokenAsync("seoul-112", "cad-attack", "dispatch-system");
        var detail = await Node.RefusedAsync("/api/v1/incidents", cad, new
        {
            type = "112-emergency-video", latitude = JungLat, longitude = JungLon, agencies = new[] { "fire-gangnam" },
        }, 403);
        Assert.Equal("Agency 'fire-gangnam' is a fire-station; 112-emergency-video incidents are responded to only by police-112-center or police-station.", detail);
    }

    [Fact]
    public async Task Named_agencies_add_to_the_tables_responders_and_never_replace_them()
    {
        var cad = await Node.TokenAsync("seoul-112", "cad-attack", "dispatch-system");
        var incident = await Node.OpenIncidentAsync(cad, new { type = "112-emergency-video", latitude = JungLat, longitude = JungLon, agencies = new[] { "police-gangnam" } });
        Assert.Equal("11020", incident.GetProperty("districtCode").GetString());
        Assert.Equal(["police-gangnam", "police-jung", "seoul-112"], incident.GetProperty("agencies").Strings().Order());
        Assert.False(incident.GetProperty("pendingReview").GetBoolean());

        var escalation = await Node.RefusedAsync($"/api/v1/incidents/{incident.GetProperty("id").GetString()}/agencies", cad, new { agencies = new[] { "seoul-119" } }, 403);
        Assert.Equal("Agency 'seoul-119' is a fire-119-center; 112-emergency-video incidents are responded to only by police-112-center or police-station.", escalation);
        Assert.Contains("not registered", await Node.RefusedAsync($"/api/v1/incidents/{incident.GetProperty("id").GetString()}/agencies", cad, new { agencies = new[] { "nobody" } }, 400));
    }

    [Fact]
    public async Task A_dispatch_system_opens_only_its_own_services_incidents()
    {
        var cad112 = await Node.TokenAsync("seoul-112", "cad-attack", "dispatch-system");
        Assert.Contains("119-dispatch incidents are opened only by fire-119-center",
            await Node.RefusedAsync("/api/v1/incidents", cad112, new { type = "119-dispatch", latitude = JungLat, longitude = JungLon }, 403));

        var sos = await Node.TokenAsync("seoul-sos-center", "sos-attack", "dispatch-system");
        Assert.Contains("disaster-response incidents are opened only by disaster-room",
            await Node.RefusedAsync("/api/v1/incidents", sos, new { type = "disaster-response", latitude = JungLat, longitude = JungLon, radiusMeters = 5000 }, 403));

        const string alert = """
            <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>sos-forged-1</identifier><sender>sos</sender>
            <sent>2026-11-25T03:00:00+09:00</sent><status>Actual</status><msgType>Alert</msgType>
            <info><severity>Extreme</severity><area><areaDesc>all of Seoul</areaDesc><circle>37.56,126.99 5</circle></area></info></alert>
            """;
        using var cap = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents/cap", sos, new StringContent(alert, Encoding.UTF8, "application/xml"));
        Assert.Contains("disaster-room", await ProblemAssert.IsProblemAsync(cap, 403));
    }

    [Fact]
    public async Task A_person_must_say_why_and_briefly()
    {
        var officer = await Node.TokenAsync("seoul-112", "officer-why", "operator");
        Assert.Contains("justification", await Node.RefusedAsync("/api/v1/incidents", officer, new { type = "112-dispatch", latitude = JungLat, longitude = JungLon }, 400));
        Assert.Contains("justification", await Node.RefusedAsync("/api/v1/incidents", officer, new { type = "112-dispatch", latitude = JungLat, longitude = JungLon, justification = "  " }, 400));
        Assert.Contains("at most 1000", await Node.RefusedAsync("/api/v1/incidents", officer,
            new { type = "112-dispatch", latitude = JungLat, longitude = JungLon, justification = new string('x', 1001) }, 400));
    }
}
