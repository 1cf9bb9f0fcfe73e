using System.Text.Json;
using System.Text.RegularExpressions;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// Issue 11, item 3: for a 119 incident in a district whose policy refuses fire agencies a camera purpose, every selected
/// camera is one a responder can view, and the timeline counts what was left out and why, on opening and on every re-selection.
/// </summary>
[Collection(IncidentNodeCollection.Name)]
public sealed partial class IncidentSelectionTests(IncidentNodeFixture fixture)
{
    private const string Jung = "11020";
    private const string LeftOutByPolicy = "left out: policy-never for fire-119-center, fire-station";

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Every_selected_camera_is_viewable_by_a_responder_and_the_timeline_counts_what_was_left_out()
    {
        var admin = await Node.TokenAsync("control-jung", "admin-selection", "district-admin");
        await using var centre = await PolicyOverride.SetAsync(Node, admin, Jung, "fire-119-center", "crime-prevention", "never");
        await using var station = await PolicyOverride.SetAsync(Node, admin, Jung, "fire-station", "crime-prevention", "never");

        var dispatch = await Node.TokenAsync("seoul-119", "cad-selection", "dispatch-system");
        // Beside Jung-gu office, where most cameras are crime-prevention ones.
        var incident = await Node.OpenIncidentAsync(dispatch, new { type = "119-dispatch", latitude = 37.5636, longitude = 126.9976, priority = 2 });
        var id = incident.GetProperty("id").GetString()!;
        Assert.Equal(Jung, incident.GetProperty("districtCode").GetString());
        Assert.Equal(["fire-jung", "seoul-119"], incident.GetProperty("agencies").Strings().Order());

        var leftOut = LeftOutCount(incident, "opened");
        Assert.True(leftOut > 0, "the crime-prevention cameras around Jung-gu office must have been left out");
        var cameras = incident.CameraIds();
        Assert.NotEmpty(cameras);
        var (_, centreSession) = await Node.SessionAsync("seoul-119", "operator-selection");
        var (_, stationSession) = await Node.SessionAsync("fire-jung", "operator-selection");
        foreach (var camera in cameras)
        {
            var reasons = new[] { await Node.ReasonAsync(centreSession, camera, id), await Node.ReasonAsync(stationSession, camera, id) };
            Assert.True(reasons.Contains("incident-grant"), $"{camera} is viewable by no responder: {string.Join(", ", reasons)}");
        }

        // The cameras it left out are Jung-gu's crime-prevention cameras at the scene, which the responders are refused.
        var nearby = await Node.GetJsonAsync($"/api/v1/cameras/nearby?lat=37.5636&lon=126.9976&radius=300&limit=50&purpose=crime-prevention&status=online&incident={id}", centreSession);
        var refused = nearby.GetProperty("items").EnumerateArray().Where(c => c.GetProperty("districtCode").GetString() == Jung).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, c =>
        {
            Assert.DoesNotContain(c.GetProperty("id").GetString(), cameras);
            Assert.Equal("policy-never", c.GetProperty("access").GetProperty("reason").GetString());
        });

        // Moving and widening select again under the same rule, and say so.
        var (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/location", dispatch, new { latitude = 37.5640, longitude = 126.9985 });
        Assert.True(status == 200, body);
        Assert.True(LeftOutCount(JsonDocument.Parse(body).RootElement, "moved") > 0);
        (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/agencies", dispatch, new { radiusMeters = 800 });
        Assert.True(status == 200, body);
        var widened = JsonDocument.Parse(body).RootElement;
        Assert.True(LeftOutCount(widened, "escalated") > 0);
        foreach (var camera in widened.CameraIds().Except(cameras).Take(10))
            Assert.Equal("incident-grant", await Node.ReasonAsync(centreSession, camera, id));

        (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/close", dispatch, new { reason = "resolved" });
        Assert.True(status == 200, body);
    }

    /// <summary>The number the newest timeline entry of this kind gives as left out by the fire agencies' policy.</summary>
    private static int LeftOutCount(JsonElement incident, string kind)
    {
        var text = incident.GetProperty("timeline").EnumerateArray().Last(t => t.GetProperty("kind").GetString() == kind).GetProperty("text").GetString()!;
        var match = LeftOutPattern().Match(text);
        Assert.True(match.Success, $"the {kind} entry does not count what was left out: {text}");
        return int.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"(\d+) " + LeftOutByPolicy)]
    private static partial Regex LeftOutPattern();
}
