using System.Net;
using System.Text.Json;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Video;

/// <summary>
/// A camera that goes dark while a 112 operator watches it (a reboot, a cut cable) is reported offline by its relay, and
/// viewers are refused it from then on. Once it answers again it is found back online by itself, with nobody watching:
/// before, it stayed offline for good, since no viewer could start the relay that would have seen it back, and incident
/// walls passed it over. Real node, real ffmpeg, the RTSP test camera behind a relay that goes silent.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OfflineRecheckTests(VideoNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Journey_112_operator_a_camera_that_went_dark_while_watched_is_found_back_online_by_itself_and_plays_again()
    {
        await using var network = SilencingRelay.Start("127.0.0.1", fixture.Camera.Port);
        var admin = await Node.TokenAsync("control-jung", "camera-admin", "district-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "dark", "11020", 37.5643, 126.9973, $"rtsp://127.0.0.1:{network.Port}/e");
        var (_, police) = await Node.SessionAsync("seoul-112", "dark-viewer");
        var lease = await VideoRequests.LeaseAsync(Node, police, camera);
        await VideoRequests.PlaylistAsync(Node, lease.GetProperty("playlistUrl").GetString()!);

        // The camera goes dark: its relay fails at every restart and reports it offline; a new viewer is refused it.
        network.Silence();
        await Eventually.WaitAsync(() => StatusAsync(camera, admin), status => status == "offline", TimeSpan.FromSeconds(90), "the relay to report the camera offline");
        await ReleaseAsync(police, lease);
        using (var refused = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/leases", police, System.Net.Http.Json.JsonContent.Create(new { purpose = "monitoring" })))
        {
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, problem.ToString());
            Assert.Equal("camera-offline", problem.GetProperty("reason").GetString());
        }

        // It answers again; nobody watches it, yet it is found back online, and the operator's next view plays.
        network.Speak();
        await Eventually.WaitAsync(() => StatusAsync(camera, admin), status => status == "online", TimeSpan.FromSeconds(30), "the camera to be found back online");
        var again = await VideoRequests.LeaseAsync(Node, police, camera);
        await VideoRequests.PlaylistAsync(Node, again.GetProperty("playlistUrl").GetString()!);
        await ReleaseAsync(police, again);

        // The district's privacy officer reads who took the camera offline and who found it back, and why.
        var officer = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
        var changes = (await Node.GetJsonAsync($"/api/v1/audit?camera={camera}&kind=camera-change&pageSize=100", officer)).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("entry")).ToArray();
        Assert.Contains(changes, e => Text(e, "actor") == "relay" && Text(e, "reason") == "offline-recheck" && Text(e, "details")!.Contains("\"online\""));
    }

    private async Task<string?> StatusAsync(string camera, string token) => (await Node.GetJsonAsync($"/api/v1/cameras/{camera}", token)).GetProperty("status").GetString();

    private static string? Text(JsonElement row, string name) => row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task ReleaseAsync(string viewer, JsonElement lease)
    {
        using var release = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", viewer);
        Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
    }
}
