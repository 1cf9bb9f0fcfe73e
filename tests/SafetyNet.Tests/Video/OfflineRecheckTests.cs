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
        // The operator reads why (the camera was reached but sent nothing) and that the node tries it again by itself.
        var report = await Node.GetJsonAsync($"/api/v1/cameras/{camera}/status", police);
        Assert.Equal("relay", report.GetProperty("setBy").GetString());
        Assert.Equal("camera-no-picture", report.GetProperty("cause").GetString());
        Assert.Equal(JsonValueKind.String, report.GetProperty("since").ValueKind);
        Assert.Equal(JsonValueKind.String, report.GetProperty("nextCheckAt").ValueKind);
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

    [Fact]
    public async Task Journey_district_admin_a_camera_it_took_offline_by_hand_comes_back_only_when_a_check_it_asks_for_finds_a_picture()
    {
        await using var network = SilencingRelay.Start("127.0.0.1", fixture.Camera.Port);
        var admin = await Node.TokenAsync("control-jung", "camera-admin", "district-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "checked", "11020", 37.5644, 126.9974, $"rtsp://127.0.0.1:{network.Port}/f");
        var (_, police) = await Node.SessionAsync("seoul-112", "check-viewer");
        var gangnamAdmin = await Node.TokenAsync("control-gangnam", "camera-admin", "district-admin");
        var check = $"/api/v1/cameras/{camera}/status/check";

        // Only an offline camera is checked; only its district (or the platform) may ask; an unknown camera is named as unknown.
        await ProblemAsync(HttpMethod.Post, check, admin, HttpStatusCode.Conflict);
        await ProblemAsync(HttpMethod.Post, check, police, HttpStatusCode.Forbidden);
        await ProblemAsync(HttpMethod.Post, check, gangnamAdmin, HttpStatusCode.Forbidden);
        await ProblemAsync(HttpMethod.Post, "/api/v1/cameras/no-such-camera/status/check", admin, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Get, "/api/v1/cameras/no-such-camera/status", police, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Get, $"/api/v1/cameras/{new string('x', 4000)}/status", police, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Get, "/api/v1/cameras/%20/status", police, HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Post, "/api/v1/cameras/%20/status/check", admin, HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Post, $"/api/v1/cameras/{new string('x', 4000)}/status/check", admin, HttpStatusCode.NotFound);
        using (var anonymous = await Node.SendAsync(HttpMethod.Post, check, token: null)) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var anonymous = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/status", token: null)) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var registered = await Node.GetJsonAsync($"/api/v1/cameras/{camera}/status", police);
        Assert.Equal("online", registered.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, registered.GetProperty("setBy").ValueKind);

        // The district takes the camera offline by hand (its pole is being repaired): it is not tried again by itself.
        using (var patch = await Node.SendAsync(HttpMethod.Patch, $"/api/v1/cameras/{camera}", admin, System.Net.Http.Json.JsonContent.Create(new { status = "offline" })))
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        var byHand = await Node.GetJsonAsync($"/api/v1/cameras/{camera}/status", police);
        Assert.Equal(("offline", "admin"), (byHand.GetProperty("status").GetString(), byHand.GetProperty("setBy").GetString()));
        Assert.Equal(JsonValueKind.Null, byHand.GetProperty("cause").ValueKind);
        Assert.Equal(JsonValueKind.Null, byHand.GetProperty("nextCheckAt").ValueKind);

        // Checked while the camera sends nothing: still offline, now with the cause found.
        network.Silence();
        var silent = await CheckAsync(check, admin);
        Assert.False(silent.GetProperty("gavePicture").GetBoolean());
        Assert.Equal("camera-no-picture", silent.GetProperty("cause").GetString());
        Assert.Equal(("offline", "camera-no-picture"), (silent.GetProperty("status").GetProperty("status").GetString(), silent.GetProperty("status").GetProperty("cause").GetString()));

        // Checked once it answers: online again, set by the admin who asked, and the operator's view plays.
        network.Speak();
        var answered = await CheckAsync(check, admin);
        Assert.True(answered.GetProperty("gavePicture").GetBoolean());
        Assert.Equal(("online", "admin"), (answered.GetProperty("status").GetProperty("status").GetString(), answered.GetProperty("status").GetProperty("setBy").GetString()));
        var lease = await VideoRequests.LeaseAsync(Node, police, camera);
        await VideoRequests.PlaylistAsync(Node, lease.GetProperty("playlistUrl").GetString()!);
        await ReleaseAsync(police, lease);

        // The privacy officer reads both checks, who asked, and what each found.
        var officer = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
        var checks = (await Node.GetJsonAsync($"/api/v1/audit?camera={camera}&kind=camera-change&pageSize=100", officer)).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("entry")).Where(e => Text(e, "reason") == "admin-check").ToArray();
        Assert.Equal(2, checks.Length);
        Assert.All(checks, e => Assert.Equal("control-jung/camera-admin", Text(e, "actor")));
        Assert.Contains(checks, e => Text(e, "details")!.Contains("camera-no-picture"));
        Assert.Contains(checks, e => Text(e, "details")!.Contains("\"online\""));
    }

    private async Task<JsonElement> CheckAsync(string path, string token)
    {
        using var response = await Node.SendAsync(HttpMethod.Post, path, token);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private async Task ProblemAsync(HttpMethod method, string path, string token, HttpStatusCode expected)
    {
        using var response = await Node.SendAsync(method, path, token);
        await ProblemAssert.IsProblemAsync(response, (int)expected);
    }

    private async Task<string?> StatusAsync(string camera, string token) => (await Node.GetJsonAsync($"/api/v1/cameras/{camera}", token)).GetProperty("status").GetString();

    private static string? Text(JsonElement row, string name) => row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task ReleaseAsync(string viewer, JsonElement lease)
    {
        using var release = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", viewer);
        Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
    }
}
