using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>Issue 11, item 4: responders follow an incident across a district border; those left behind keep access only for the move grace.</summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentMoveTests(IncidentNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_move_across_a_district_border_adds_that_districts_responders_and_the_old_local_ones_lose_access_after_the_grace()
    {
        var cad = await Node.TokenAsync("seoul-112", "cad-move", "dispatch-system");
        // A car chase from Seocho-gu office to Gangnam-gu office.
        var incident = await Node.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.4837, longitude = 127.0324, radiusMeters = 300 });
        var id = incident.GetProperty("id").GetString()!;
        Assert.Equal("11220", incident.GetProperty("districtCode").GetString());
        Assert.Equal(["patrol-seocho", "police-seocho", "seoul-112"], incident.GetProperty("agencies").Strings().Order());

        var (_, seocho) = await Node.SessionAsync("police-seocho", "officer-seocho");
        var (_, gangnam) = await Node.SessionAsync("police-gangnam", "officer-gangnam");
        var seochoCamera = await FirstGrantedAsync(seocho, incident.CameraIds(), id);

        var movedAt = DateTimeOffset.UtcNow;
        var (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/location", cad, new { latitude = 37.5172, longitude = 127.0473 });
        Assert.True(status == 200, body);
        var moved = JsonDocument.Parse(body).RootElement;
        Assert.Equal("11230", moved.GetProperty("districtCode").GetString());
        var agencies = moved.GetProperty("agencies").Strings();
        Assert.Contains("police-gangnam", agencies);
        Assert.Contains("patrol-gangnam", agencies);
        Assert.Contains("seoul-112", agencies);
        // The left-behind station keeps its grant only for the move grace (1 s on this node); the newcomers get the incident's lifetime.
        Assert.True(moved.GrantOf("police-seocho").GetProperty("expiresAt").GetDateTimeOffset() <= movedAt + TimeSpan.FromSeconds(30));
        Assert.True(moved.GrantOf("police-gangnam").GetProperty("expiresAt").GetDateTimeOffset() > movedAt + TimeSpan.FromHours(1));
        Assert.True(moved.GrantOf("seoul-112").GetProperty("expiresAt").GetDateTimeOffset() > movedAt + TimeSpan.FromHours(1));
        var kinds = moved.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()).ToList();
        Assert.Contains("responders-joined", kinds);
        Assert.Contains("responders-leaving", kinds);

        await FirstGrantedAsync(gangnam, moved.CameraIds(), id);
        await Eventually.WaitAsync(() => Node.ReasonAsync(seocho, seochoCamera, id), reason => reason != "incident-grant",
            TimeSpan.FromSeconds(30), "the left-behind station's access to end after the move grace");
        var after = await Eventually.WaitAsync(() => Node.GetJsonAsync($"/api/v1/incidents/{id}", cad),
            i => !i.GetProperty("agencies").Strings().Contains("police-seocho"), TimeSpan.FromSeconds(30), "police-seocho to stop responding");
        Assert.Contains(after.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("kind").GetString() == "responders-left");
        Assert.Contains("seoul-112", after.GetProperty("agencies").Strings());
        using var gone = await Node.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{id}", seocho);
        await ProblemAssert.IsProblemAsync(gone, 403);

        Assert.Contains(await Node.AuditAsync(id, "grant"), e => e.GetProperty("agencyId").GetString() == "police-gangnam");
        Assert.Contains(await Node.AuditAsync(id, "revocation"), e => e.GetProperty("agencyId").GetString() == "police-seocho");
    }

    private async Task<string> FirstGrantedAsync(string session, IEnumerable<string> cameras, string incidentId)
    {
        foreach (var camera in cameras)
            if (await Node.ReasonAsync(session, camera, incidentId) == "incident-grant") return camera;
        throw new Xunit.Sdk.XunitException($"no camera of incident {incidentId} is granted to this session's agency");
    }
}
