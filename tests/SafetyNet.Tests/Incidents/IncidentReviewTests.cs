using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// An incident a person opens carries a justification, grants only the opener's own agency inside its own jurisdiction,
/// and widens to the table's responders when another supervisor confirms it (four eyes). The opener always sees and closes it.
/// </summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentReviewTests(IncidentNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_person_opened_incident_stays_in_the_openers_jurisdiction_until_another_supervisor_confirms()
    {
        // Euljiro, just south of Jung-gu's border with Jongno-gu: the circle reaches into Jongno.
        var opener = await Node.TokenAsync("police-jung", "kim", "operator");
        const string why = "Caller reports a fight outside Euljiro 1-ga station exit 2";
        var incident = await Node.OpenIncidentAsync(opener, new { type = "112-dispatch", latitude = 37.5645, longitude = 126.9880, radiusMeters = 600, justification = why });
        var id = incident.GetProperty("id").GetString()!;
        Assert.Equal("11020", incident.GetProperty("districtCode").GetString());
        Assert.True(incident.GetProperty("pendingReview").GetBoolean());
        Assert.Equal(why, incident.GetProperty("justification").GetString());
        Assert.Equal("police-jung/kim", incident.GetProperty("openedBy").GetString());
        Assert.Equal(["police-jung"], incident.GetProperty("agencies").Strings());
        Assert.Contains("seoul-112", incident.GetProperty("pendingAgencies").Strings());
        Assert.Contains("patrol-jung", incident.GetProperty("pendingAgencies").Strings());

        var cameras = incident.GetProperty("cameras").EnumerateArray().ToList();
        var inJung = cameras.Where(c => c.GetProperty("districtCode").GetString() == "11020").Select(c => c.GetProperty("cameraId").GetString()!).ToArray();
        var outside = cameras.Where(c => c.GetProperty("districtCode").GetString() != "11020").Select(c => c.GetProperty("cameraId").GetString()!).ToArray();
        Assert.True(inJung.Length > 0 && outside.Length > 0, "the selection must straddle the district border for this test to mean anything");
        Assert.Equal(inJung.Order(), incident.GrantOf("police-jung").GetProperty("cameraIds").Strings().Order());

        var listed = (await Node.GetJsonAsync("/api/v1/incidents", opener)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
        Assert.True(listed.GetProperty("pendingReview").GetBoolean());

        var (_, jungSession) = await Node.SessionAsync("police-jung", "kim-viewer");
        var (_, centerSession) = await Node.SessionAsync("seoul-112", "officer-center");
        foreach (var camera in outside) Assert.NotEqual("incident-grant", await Node.ReasonAsync(jungSession, camera, id));
        Assert.Contains("incident-grant", await Task.WhenAll(inJung.Select(c => Node.ReasonAsync(jungSession, c, id))));
        foreach (var camera in cameras.Select(c => c.GetProperty("cameraId").GetString()!)) Assert.NotEqual("incident-grant", await Node.ReasonAsync(centerSession, camera, id));

        // Four eyes, and only the opener's agency or a city-wide opener agency.
        var confirm = $"/api/v1/incidents/{id}/confirm";
        Assert.Contains("Four eyes", await Node.RefusedAsync(confirm, await Node.TokenAsync("police-jung", "kim", "supervisor"), new { }, 403));
        Assert.Contains("Only a supervisor", await Node.RefusedAsync(confirm, await Node.TokenAsync("police-jung", "park", "operator"), new { }, 403));
        Assert.Contains("may not confirm", await Node.RefusedAsync(confirm, await Node.TokenAsync("police-yongsan", "choi", "supervisor"), new { }, 403));
        Assert.Contains("may not confirm", await Node.RefusedAsync(confirm, await Node.TokenAsync("seoul-119", "oh", "supervisor"), new { }, 403));

        var (status, body) = await Node.PostAsync(confirm, await Node.TokenAsync("seoul-112", "lee", "supervisor"), new { note = "CCTV shows the fight; confirmed" });
        Assert.True(status == 200, body);
        var confirmed = JsonDocument.Parse(body).RootElement;
        Assert.False(confirmed.GetProperty("pendingReview").GetBoolean());
        Assert.Equal("seoul-112/lee", confirmed.GetProperty("confirmedBy").GetString());
        Assert.Empty(confirmed.GetProperty("pendingAgencies").EnumerateArray());
        Assert.Equal(["patrol-jung", "police-jung", "seoul-112"], confirmed.GetProperty("agencies").Strings().Order());
        Assert.Equal(confirmed.CameraIds().Order(), confirmed.GrantOf("police-jung").GetProperty("cameraIds").Strings().Order());
        Assert.Contains("incident-grant", await Task.WhenAll(outside.Select(c => Node.ReasonAsync(jungSession, c, id))));
        Assert.Contains("incident-grant", await Task.WhenAll(outside.Select(c => Node.ReasonAsync(centerSession, c, id))));
        Assert.Contains("already confirmed", await Node.RefusedAsync(confirm, await Node.TokenAsync("police-jung", "lee", "supervisor"), new { }, 409));

        var opened = Assert.Single(await Node.AuditAsync(id, "incident-open"));
        Assert.Equal("police-jung/kim", opened.GetProperty("actor").GetString());
        Assert.Contains(why, opened.GetProperty("details").GetString());
        var confirmations = await Node.AuditAsync(id, "incident-confirm");
        Assert.Contains(confirmations, e => e.GetProperty("outcome").GetString() == "allow" && e.GetProperty("actor").GetString() == "seoul-112/lee");
        Assert.Contains(confirmations, e => e.GetProperty("outcome").GetString() == "deny" && e.GetProperty("actor").GetString() == "police-jung/kim");
    }

    [Fact]
    public async Task A_supervisor_who_opens_an_incident_still_needs_another_supervisor()
    {
        var han = await Node.TokenAsync("seoul-112", "han", "supervisor");
        var incident = await Node.OpenIncidentAsync(han, new { type = "112-emergency-video", latitude = 37.5172, longitude = 127.0473, justification = "Live 112 video call: assault in progress" });
        var id = incident.GetProperty("id").GetString()!;
        Assert.True(incident.GetProperty("pendingReview").GetBoolean());
        Assert.Equal(["seoul-112"], incident.GetProperty("agencies").Strings());
        // A city-wide opener's own jurisdiction is the whole city.
        Assert.Equal(incident.CameraIds().Order(), incident.GrantOf("seoul-112").GetProperty("cameraIds").Strings().Order());

        Assert.Contains("Four eyes", await Node.RefusedAsync($"/api/v1/incidents/{id}/confirm", han, new { }, 403));
        var confirmed = JsonDocument.Parse((await Node.PostAsync($"/api/v1/incidents/{id}/confirm", await Node.TokenAsync("seoul-112", "yoon", "supervisor"), new { })).Body).RootElement;
        Assert.False(confirmed.GetProperty("pendingReview").GetBoolean());
        Assert.Contains("police-gangnam", confirmed.GetProperty("agencies").Strings());
    }

    [Fact]
    public async Task An_opener_that_does_not_respond_sees_lists_and_closes_its_incident()
    {
        // A district control room spots a lost child on its own cameras; the SOS centre, police and fire respond, the control room does not.
        var control = await Node.TokenAsync("control-jung", "watcher", "operator");
        var incident = await Node.OpenIncidentAsync(control, new { type = "vulnerable-sos", latitude = 37.5610, longitude = 126.9940, justification = "Child alone and crying at Myeongdong for 20 minutes" });
        var id = incident.GetProperty("id").GetString()!;
        Assert.Empty(incident.GetProperty("agencies").EnumerateArray());
        Assert.Empty(incident.GetProperty("grants").EnumerateArray());
        Assert.Equal(["control-jung", "seoul-sos-center"], incident.GetProperty("reviewingAgencies").Strings());

        var (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/confirm", await Node.TokenAsync("seoul-sos-center", "sos-supervisor", "supervisor"), new { note = "known missing child" });
        Assert.True(status == 200, body);
        var confirmed = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["police-jung", "seoul-112", "seoul-119", "seoul-sos-center"], confirmed.GetProperty("agencies").Strings().Order());
        Assert.DoesNotContain(confirmed.GetProperty("grants").EnumerateArray(), g => g.GetProperty("agencyId").GetString() == "control-jung");

        Assert.Equal(id, (await Node.GetJsonAsync($"/api/v1/incidents/{id}", control)).GetProperty("id").GetString());
        Assert.Contains((await Node.GetJsonAsync("/api/v1/incidents?status=open", control)).GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        var (closeStatus, closed) = await Node.PostAsync($"/api/v1/incidents/{id}/close", control, new { reason = "child reunited with parents" });
        Assert.True(closeStatus == 200, closed);
        Assert.Equal("closing", JsonDocument.Parse(closed).RootElement.GetProperty("status").GetString());

        // Another district's control room opened nothing here and sees nothing.
        using var foreign = await Node.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{id}", await Node.TokenAsync("control-gangnam", "watcher", "operator"));
        await ProblemAssert.IsProblemAsync(foreign, 403);
    }
}
