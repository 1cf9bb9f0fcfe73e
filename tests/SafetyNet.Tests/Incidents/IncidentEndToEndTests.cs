using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>Issue 3's story over real HTTP and the real SignalR client against a running node.</summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentEndToEndTests(IncidentNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private async Task<JsonElement> OpenAsync(object body, string? token = null, int expected = 201)
    {
        token ??= await Node.TokenAsync("seoul-112", "cad-112", "dispatch-system");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", token, JsonContent.Create(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> DecisionAsync(string sessionToken, string cameraId) =>
        await (await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{cameraId}/access?purpose=emergency-response", sessionToken)).Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_112_call_reaches_police_dashboards_grants_access_and_revokes_it_after_close_and_grace()
    {
        var (_, police) = await Node.SessionAsync("seoul-112", "officer-han");
        var fire = await Node.TokenAsync("seoul-119", "firefighter-oh", "operator");
        await using var policeBoard = await Dashboard.ConnectAsync(Node, police);
        await using var fireBoard = await Dashboard.ConnectAsync(Node, fire);
        await policeBoard.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");
        await fireBoard.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");

        var incident = await OpenAsync(new { type = "112-emergency-video", latitude = 37.5663, longitude = 126.9779, priority = 1, externalReference = $"112-{Guid.NewGuid():N}" });
        var id = incident.GetProperty("id").GetString()!;
        var cameras = incident.GetProperty("cameras").EnumerateArray().ToList();
        Assert.True(cameras.Count >= 5, "at least the 5 nearest cameras are selected");
        Assert.All(cameras, c => Assert.True(c.GetProperty("distanceMeters").GetDouble() >= 0 && c.TryGetProperty("bearingDegrees", out _)));
        Assert.Contains("seoul-112", incident.GetProperty("agencies").EnumerateArray().Select(a => a.GetString()));

        var opened = await policeBoard.WaitForAsync("incidentOpened", p => p.GetProperty("id").GetString() == id);
        Assert.Equal(cameras.Count, opened.Payload.GetProperty("cameras").GetArrayLength());
        await policeBoard.WaitForAsync("accessGranted", p => p.GetProperty("incidentId").GetString() == id);

        // A 119 incident opened afterwards is a sentinel: once the fire dashboard has it, it would already have had the 112 one.
        var sentinel = await OpenAsync(new { type = "119-dispatch", latitude = 37.5170, longitude = 127.0473, priority = 2 }, await Node.TokenAsync("seoul-119", "cad-119", "dispatch-system"));
        await fireBoard.WaitForAsync("incidentOpened", p => p.GetProperty("id").GetString() == sentinel.GetProperty("id").GetString());
        Assert.False(fireBoard.Received("incidentOpened", p => p.GetProperty("id").GetString() == id), "the fire dashboard must not see a police incident");

        var camera = cameras.First(c => c.GetProperty("purpose").GetString() != "crime-prevention").GetProperty("cameraId").GetString()!;
        var allowed = await DecisionAsync(police, camera);
        Assert.True(allowed.GetProperty("allowed").GetBoolean(), allowed.ToString());
        Assert.Equal("incident-grant", allowed.GetProperty("reason").GetString());

        var dispatcher = await Node.TokenAsync("seoul-112", "cad-112", "dispatch-system");
        using (var close = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/close", dispatcher, JsonContent.Create(new { reason = "suspect arrested" })))
            Assert.Equal(200, (int)close.StatusCode);
        await policeBoard.WaitForAsync("incidentClosed", p => p.GetProperty("id").GetString() == id);
        await policeBoard.WaitForAsync("accessRevoked", p => p.GetProperty("incidentId").GetString() == id);
        var denied = await DecisionAsync(police, camera);
        Assert.False(denied.GetProperty("allowed").GetBoolean(), denied.ToString());

        using var again = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/close", dispatcher, JsonContent.Create(new { }));
        await ProblemAssert.IsProblemAsync(again, 409);
        using var move = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/location", dispatcher, JsonContent.Create(new { latitude = 37.57, longitude = 126.98 }));
        await ProblemAssert.IsProblemAsync(move, 409);
    }

    [Fact]
    public async Task Opening_the_same_external_reference_twice_returns_the_same_incident()
    {
        var reference = $"112-{Guid.NewGuid():N}";
        var first = await OpenAsync(new { type = "112-dispatch", latitude = 37.5547, longitude = 126.9707, externalReference = reference });
        var second = await OpenAsync(new { type = "112-dispatch", latitude = 37.5547, longitude = 126.9707, externalReference = reference }, expected: 200);
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_moving_incident_grants_new_cameras_at_once_and_releases_old_ones_after_grace()
    {
        var (_, police) = await Node.SessionAsync("seoul-112", "officer-moving");
        var incident = await OpenAsync(new { type = "112-dispatch", latitude = 37.5665, longitude = 126.9780, radiusMeters = 200 });
        var id = incident.GetProperty("id").GetString()!;
        var before = incident.GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("cameraId").GetString()!).ToHashSet();

        var dispatcher = await Node.TokenAsync("seoul-112", "cad-112", "dispatch-system");
        using var moved = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/location", dispatcher, JsonContent.Create(new { latitude = 37.5796, longitude = 126.9770 }));
        var after = await moved.Content.ReadFromJsonAsync<JsonElement>();
        var now = after.GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("cameraId").GetString()!).ToHashSet();
        var added = now.Except(before).ToList();
        var left = before.Except(now).ToList();
        Assert.NotEmpty(added);
        Assert.NotEmpty(left);
        Assert.Contains(after.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("kind").GetString() == "moved");

        Assert.Equal("incident-grant", (await DecisionAsync(police, added[0])).GetProperty("reason").GetString());
        var released = left.First();
        await Eventually.WaitAsync(() => DecisionAsync(police, released), d => d.GetProperty("reason").GetString() != "incident-grant",
            TimeSpan.FromSeconds(15), "the left-behind camera to be released after the move grace");
    }

    [Fact]
    public async Task Escalation_adds_an_agency_whose_dashboard_then_receives_the_incident()
    {
        // A station from another district, of a kind that responds to 112 dispatches, called in to help.
        var gangnam = await Node.TokenAsync("police-gangnam", "officer-escalation", "operator");
        await using var gangnamBoard = await Dashboard.ConnectAsync(Node, gangnam);
        await gangnamBoard.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");
        var incident = await OpenAsync(new { type = "112-dispatch", latitude = 37.5512, longitude = 126.9882 });
        var id = incident.GetProperty("id").GetString()!;
        Assert.DoesNotContain("police-gangnam", incident.GetProperty("agencies").EnumerateArray().Select(a => a.GetString()));

        var dispatcher = await Node.TokenAsync("seoul-112", "cad-112", "dispatch-system");
        using var escalated = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/agencies", dispatcher,
            JsonContent.Create(new { agencies = new[] { "police-gangnam" }, priority = 1 }));
        Assert.Equal(200, (int)escalated.StatusCode);
        await gangnamBoard.WaitForAsync("incidentUpdated", p => p.GetProperty("id").GetString() == id);
        await gangnamBoard.WaitForAsync("accessGranted", p => p.GetProperty("incidentId").GetString() == id);

        var auditor = await Node.TokenAsync(IncidentCalls.PrivacyOfficer.Agency, IncidentCalls.PrivacyOfficer.Operator, "auditor");
        using var audit = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?incident={id}&kind=grant", auditor);
        var grants = (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("entry").GetProperty("agencyId").GetString()).ToList();
        Assert.Contains("police-gangnam", grants);
    }

    [Fact]
    public async Task A_reconnecting_dashboard_gets_the_current_incidents_first()
    {
        var incident = await OpenAsync(new { type = "112-emergency-video", latitude = 37.5045, longitude = 127.0490, priority = 1 });
        var token = await Node.TokenAsync("seoul-112", "officer-reconnect", "operator");
        await using var board = await Dashboard.ConnectAsync(Node, token);
        var snapshot = await board.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");
        Assert.Contains(snapshot.EnumerateArray(), i => i.GetProperty("id").GetString() == incident.GetProperty("id").GetString());
        var one = await board.Connection.InvokeAsync<JsonElement>("SubscribeIncident", incident.GetProperty("id").GetString());
        Assert.NotEmpty(one.GetProperty("cameras").EnumerateArray());
    }

    [Fact]
    public async Task Fire_incidents_carry_parking_and_hazard_context()
    {
        var incident = await OpenAsync(new { type = "119-dispatch", latitude = 37.5172, longitude = 127.0473 }, await Node.TokenAsync("seoul-119", "cad-119", "dispatch-system"));
        var layers = incident.GetProperty("context").EnumerateArray().Select(f => f.GetProperty("layer").GetString()).Distinct().ToList();
        Assert.Contains("parking", layers);
        Assert.All(incident.GetProperty("context").EnumerateArray(), f => Assert.True(f.GetProperty("sample").GetBoolean()));
    }

    [Theory]
    [InlineData("""{"type":"alien-landing","latitude":37.56,"longitude":126.97}""", 400, "type")]
    [InlineData("""{"type":"112-dispatch","latitude":35.17,"longitude":129.07}""", 400, "outside Seoul")]
    [InlineData("""{"type":"112-dispatch","latitude":37.56,"longitude":126.97,"priority":9}""", 400, "priority")]
    [InlineData("""{"type":"112-dispatch","latitude":37.56,"longitude":126.97,"agencies":["nobody"]}""", 400, "not registered")]
    public async Task Bad_incidents_are_refused_with_a_reason(string body, int status, string expected)
    {
        var token = await Node.TokenAsync("seoul-112", "cad-112", "dispatch-system");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", token, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, status));
    }

    [Fact]
    public async Task Only_dispatchers_and_operators_open_incidents_and_only_responders_see_them()
    {
        var auditor = await Node.TokenAsync("seoul-audit", "privacy", "auditor");
        using var refused = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", auditor, JsonContent.Create(new { type = "112-dispatch", latitude = 37.56, longitude = 126.97 }));
        await ProblemAssert.IsProblemAsync(refused, 403);

        var incident = await OpenAsync(new { type = "112-dispatch", latitude = 37.5600, longitude = 126.9750 });
        var fire = await Node.TokenAsync("seoul-119", "nosy", "operator");
        using var hidden = await Node.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{incident.GetProperty("id").GetString()}", fire);
        await ProblemAssert.IsProblemAsync(hidden, 403);
        using var missing = await Node.SendAsync(HttpMethod.Get, "/api/v1/incidents/inc-nope", fire);
        await ProblemAssert.IsProblemAsync(missing, 404);
    }
}
