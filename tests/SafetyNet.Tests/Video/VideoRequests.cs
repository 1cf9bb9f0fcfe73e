using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Video;

/// <summary>What a viewer and a district admin do over HTTP in the video tests: register a camera, lease it, play it.</summary>
public static class VideoRequests
{
    /// <summary>Imports one camera into <paramref name="district"/> as that district's admin; returns its id.</summary>
    public static async Task<string> RegisterCameraAsync(TestNode node, string districtAdmin, string prefix, string district, double lat, double lon,
        string streamUrl, string purpose = "crime-prevention")
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..24];
        using var response = await node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", districtAdmin,
            new StringContent($"id,district,lat,lon,purpose,stream_url\n{id},{district},{lat},{lon},{purpose},{streamUrl}\n", Encoding.UTF8, "text/csv"));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode && report.GetProperty("created").GetInt32() == 1, report.ToString());
        return id;
    }

    /// <summary>A 112 call at the point, opened by the 112 center's dispatch system; returns the incident's id.</summary>
    public static async Task<string> OpenIncidentAsync(TestNode node, double lat, double lon)
    {
        var dispatch = await node.TokenAsync("seoul-112", "dispatch", "dispatch-system");
        using var response = await node.SendAsync(HttpMethod.Post, "/api/v1/incidents", dispatch, JsonContent.Create(new
        {
            type = "112-dispatch", latitude = lat, longitude = lon, priority = 2, externalReference = $"VIDEO-{Guid.NewGuid():N}", justification = "video test",
        }));
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, incident.ToString());
        return incident.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> LeaseAsync(TestNode node, string viewer, string cameraId, object? body = null)
    {
        using var response = await node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{cameraId}/leases", viewer, JsonContent.Create(body ?? new { purpose = "monitoring" }));
        var lease = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, lease.ToString());
        return lease;
    }

    /// <summary>The playlist once the relay has listed a segment in it.</summary>
    public static async Task<string> PlaylistAsync(TestNode node, string playlistUrl) => await Eventually.WaitAsync(async () =>
    {
        using var response = await node.Http.GetAsync(playlistUrl);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
    }, text => text.Contains(".ts"), TimeSpan.FromSeconds(20), "the relay's playlist to list a segment");

    /// <summary>The newest segment's URL (with its token), as a player would request it next.</summary>
    public static string LatestSegment(string playlistUrl, string playlist) =>
        new Uri(new Uri("http://x" + playlistUrl), playlist.Split('\n').Last(l => l.Contains(".ts")).Trim()).PathAndQuery;
}
