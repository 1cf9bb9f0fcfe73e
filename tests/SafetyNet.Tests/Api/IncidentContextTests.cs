using System.Text.Json;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>
/// Issue 11, item 7 (API): nearby cameras and the access overview asked for in an incident's context are judged for that
/// incident's purpose (a disaster incident grants disaster-response, not emergency-response), only for callers who may see it.
/// </summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentContextTests(IncidentNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private async Task<(string Id, string[] Cameras)> OpenDisasterAsync(double latitude, double longitude)
    {
        var room = await Node.TokenAsync("seoul-disaster-room", "cad-context", "dispatch-system");
        var incident = await Node.OpenIncidentAsync(room, new { type = "disaster-response", latitude, longitude, priority = 1 });
        Assert.Equal("disaster-response", incident.GetProperty("purpose").GetString());
        return (incident.GetProperty("id").GetString()!, incident.CameraIds());
    }

    private async Task CloseAsync(string id)
    {
        var room = await Node.TokenAsync("seoul-disaster-room", "cad-context", "dispatch-system");
        var (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/close", room, new { reason = "resolved" });
        Assert.True(status == 200, body);
    }

    [Fact]
    public async Task Nearby_cameras_in_an_incidents_context_are_judged_for_its_purpose_with_one_audit_row_per_request()
    {
        var (id, cameras) = await OpenDisasterAsync(37.5663, 126.9019);
        var (_, session) = await Node.SessionAsync("seoul-disaster-room", "operator-context");
        const string near = "/api/v1/cameras/nearby?lat=37.5663&lon=126.9019&radius=400&limit=40";

        var inContext = (await Node.GetJsonAsync($"{near}&incident={id}", session)).GetProperty("items").EnumerateArray().ToList();
        var selected = inContext.Where(c => cameras.Contains(c.GetProperty("id").GetString())).ToList();
        Assert.NotEmpty(selected);
        Assert.All(selected, c => Assert.Equal("incident-grant", Reason(c)));
        Assert.Equal(1, await PreviewRowsAsync(id, 1));

        // Asked for another purpose explicitly, the same cameras are not granted; without the incident, it is monitoring.
        var asEmergency = (await Node.GetJsonAsync($"{near}&incident={id}&accessPurpose=emergency-response", session)).GetProperty("items").EnumerateArray();
        Assert.All(asEmergency.Where(c => cameras.Contains(c.GetProperty("id").GetString())), c => Assert.Equal("incident-required", Reason(c)));
        Assert.Equal(2, await PreviewRowsAsync(id, 2));
        var monitoring = (await Node.GetJsonAsync(near, session)).GetProperty("items").EnumerateArray();
        Assert.DoesNotContain(monitoring, c => Reason(c) == "incident-grant");
        await CloseAsync(id);
    }

    [Fact]
    public async Task The_access_overview_in_an_incidents_context_lists_only_that_incidents_cameras_for_its_purpose()
    {
        var (first, firstCameras) = await OpenDisasterAsync(37.5509, 126.8495);
        var (second, _) = await OpenDisasterAsync(37.6176, 127.0785);
        var (_, session) = await Node.SessionAsync("seoul-disaster-room", "operator-overview");

        var overview = await Node.GetJsonAsync($"/api/v1/cameras/access-overview?incident={first}", session);
        var granted = overview.GetProperty("grantedCameras").EnumerateArray().ToList();
        Assert.NotEmpty(granted);
        Assert.All(granted, g =>
        {
            Assert.Equal(first, g.GetProperty("incidentId").GetString());
            Assert.Equal("disaster-response", g.GetProperty("purpose").GetString());
            Assert.Contains(g.GetProperty("cameraId").GetString(), firstCameras);
        });
        Assert.Equal(25 * 6, overview.GetProperty("districts").GetArrayLength());
        Assert.Equal(1, await PreviewRowsAsync(first, 1));

        var everything = await Node.GetJsonAsync("/api/v1/cameras/access-overview", session);
        var incidents = everything.GetProperty("grantedCameras").EnumerateArray().Select(g => g.GetProperty("incidentId").GetString()).ToHashSet();
        Assert.Contains(first, incidents);
        Assert.Contains(second, incidents);
        await CloseAsync(first);
        await CloseAsync(second);
    }

    [Fact]
    public async Task A_caller_who_may_not_see_the_incident_learns_nothing_from_either_listing()
    {
        var (id, _) = await OpenDisasterAsync(37.5172, 127.0473);
        // Jung-gu's police neither respond to a disaster in Gangnam nor opened it.
        var (_, outsider) = await Node.SessionAsync("police-jung", "officer-context");
        foreach (var path in new[] { "/api/v1/cameras/nearby?lat=37.5172&lon=127.0473", "/api/v1/cameras/access-overview?" })
        {
            var separator = path.EndsWith('?') ? "" : "&";
            using var hidden = await Node.SendAsync(HttpMethod.Get, $"{path}{separator}incident={id}", outsider);
            var detail = await ProblemAssert.IsProblemAsync(hidden, 403);
            Assert.DoesNotContain("disaster", detail, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("11230", detail);
            using var unknown = await Node.SendAsync(HttpMethod.Get, $"{path}{separator}incident=inc-never-opened", outsider);
            await ProblemAssert.IsProblemAsync(unknown, 404);
            using var blank = await Node.SendAsync(HttpMethod.Get, $"{path}{separator}incident=%20", outsider);
            await ProblemAssert.IsProblemAsync(blank, 400);
        }
        // The refusals wrote no preview row: a responder's request is the first.
        var (_, responder) = await Node.SessionAsync("seoul-disaster-room", "operator-context");
        await Node.GetJsonAsync($"/api/v1/cameras/nearby?lat=37.5172&lon=127.0473&incident={id}", responder);
        Assert.Equal(1, await PreviewRowsAsync(id, 1));
        await CloseAsync(id);
    }

    private static string Reason(JsonElement camera) => camera.GetProperty("access").GetProperty("reason").GetString()!;

    /// <summary>The access-preview rows the ledger holds for the incident, once it holds <paramref name="expected"/> (it may lag the answer).</summary>
    private async Task<int> PreviewRowsAsync(string incidentId, int expected) =>
        (await Eventually.WaitAsync(() => Node.AuditAsync(incidentId, "access-preview"), rows => rows.Count >= expected,
            TimeSpan.FromSeconds(10), $"{expected} access-preview rows for {incidentId}")).Count;
}
