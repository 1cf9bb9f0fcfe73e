using System.Net;
using System.Text.Json;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media.Uplink;

namespace SafetyNet.Tests.Video;

/// <summary>
/// An RTSPS camera is held to the certificate it first presented (Media:StreamUrls:CameraCertificates = first-use, the
/// default): someone on the path with a certificate of their own gets no connection, and so neither the stream nor the
/// camera's credentials. The district's admin sees the refused fingerprint and forgets the pin once the camera is known to
/// have been re-keyed; the ledger names each step. Real node, real ffmpeg, a real TLS front to the RTSP test camera.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class CameraCertificatePinTests(VideoNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Journey_district_admin_a_camera_answering_with_another_certificate_is_refused_until_its_district_forgets_the_pin()
    {
        await using var front = new TlsCameraFront(fixture.Camera.Port);
        var platform = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, platform, "pinned", "11020", 37.5642, 126.9972, $"rtsps://localhost:{front.Port}/e");
        var jungAdmin = await Node.TokenAsync("control-jung", "camera-admin", "district-admin");
        var gangnamAdmin = await Node.TokenAsync("control-gangnam", "camera-admin", "district-admin");
        var (_, police) = await Node.SessionAsync("seoul-112", "pin-viewer");
        var first = front.Fingerprint;

        // First use: the node reaches the camera and learns its certificate.
        await SnapshotAsync(camera, police, HttpStatusCode.OK);
        var pin = Assert.Single((await Node.GetJsonAsync($"/api/v1/cameras/{camera}/certificate-pins", jungAdmin)).EnumerateArray());
        Assert.Equal(first, pin.GetProperty("sha256").GetString());
        Assert.Equal($"localhost:{front.Port}", pin.GetProperty("authority").GetString());

        // Only the camera's district (or the platform) reads or forgets its pin; an unknown camera is named as unknown.
        await AssertStatusAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/certificate-pins", gangnamAdmin, HttpStatusCode.Forbidden);
        await AssertStatusAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/certificate-pins", police, HttpStatusCode.Forbidden);
        await AssertStatusAsync(HttpMethod.Delete, $"/api/v1/cameras/{camera}/certificate-pins", gangnamAdmin, HttpStatusCode.Forbidden);
        await AssertStatusAsync(HttpMethod.Delete, $"/api/v1/cameras/{camera}/certificate-pins", police, HttpStatusCode.Forbidden);
        await AssertStatusAsync(HttpMethod.Delete, "/api/v1/cameras/no-such-camera/certificate-pins", jungAdmin, HttpStatusCode.NotFound);
        await AssertStatusAsync(HttpMethod.Delete, "/api/v1/cameras/%20/certificate-pins", jungAdmin, HttpStatusCode.BadRequest);
        await AssertStatusAsync(HttpMethod.Get, $"/api/v1/cameras/{new string('x', 4000)}/certificate-pins", jungAdmin, HttpStatusCode.NotFound);
        using (var anonymous = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/cameras/{camera}/certificate-pins", token: null))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // Something on the path answers with its own certificate for the same name: the operator gets no picture, and is told why.
        front.ReplaceCertificate();
        var refused = await SnapshotAsync(camera, police, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("pinned", refused);
        Assert.Equal("camera-certificate-changed", JsonDocument.Parse(refused).RootElement.GetProperty("reason").GetString());
        // A viewer's playlist is refused for now with the same reason, which a console words: not "still starting".
        var lease = await VideoRequests.LeaseAsync(Node, police, camera);
        using (var playlist = await Node.Http.GetAsync(lease.GetProperty("playlistUrl").GetString()!))
        {
            var problem = JsonDocument.Parse(await playlist.Content.ReadAsStringAsync()).RootElement;
            Assert.True(playlist.StatusCode == HttpStatusCode.ServiceUnavailable, problem.ToString());
            Assert.Equal("camera-certificate-changed", problem.GetProperty("reason").GetString());
            Assert.Contains(front.Fingerprint, problem.GetProperty("detail").GetString());
        }
        // The relay, refused at every attempt, reports the camera offline: viewers are refused it from then on.
        await Eventually.WaitAsync(() => StatusAsync(camera, jungAdmin), status => status == "offline", TimeSpan.FromSeconds(60), "the camera to be reported offline");
        // The operator reads why, and when the node tries it again; the district's own check finds the same.
        var report = await Node.GetJsonAsync($"/api/v1/cameras/{camera}/status", police);
        Assert.Equal("relay", report.GetProperty("setBy").GetString());
        Assert.Equal("camera-certificate-changed", report.GetProperty("cause").GetString());
        Assert.Equal(JsonValueKind.String, report.GetProperty("nextCheckAt").ValueKind);
        using (var check = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/status/check", jungAdmin))
        {
            var found = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement;
            Assert.True(check.StatusCode == HttpStatusCode.OK, found.ToString());
            Assert.False(found.GetProperty("gavePicture").GetBoolean());
            Assert.Equal("camera-certificate-changed", found.GetProperty("cause").GetString());
            Assert.Equal("offline", found.GetProperty("status").GetProperty("status").GetString());
        }
        using (var release = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", police))
            Assert.True(release.IsSuccessStatusCode);
        var held = Assert.Single((await Node.GetJsonAsync($"/api/v1/cameras/{camera}/certificate-pins", jungAdmin)).EnumerateArray());
        Assert.Equal(first, held.GetProperty("sha256").GetString());
        Assert.Equal(front.Fingerprint, held.GetProperty("refusedSha256").GetString());

        // The district admin compares that fingerprint with the camera's own page, and forgets the pin.
        using (var forget = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/cameras/{camera}/certificate-pins", jungAdmin))
            Assert.Equal(HttpStatusCode.OK, forget.StatusCode);
        Assert.Empty((await Node.GetJsonAsync($"/api/v1/cameras/{camera}/certificate-pins", jungAdmin)).EnumerateArray());
        await AssertStatusAsync(HttpMethod.Delete, $"/api/v1/cameras/{camera}/certificate-pins", jungAdmin, HttpStatusCode.NotFound);
        // With no viewer left, the camera is tried again at once, pins the certificate it presents now and is online again.
        await Eventually.WaitAsync(() => StatusAsync(camera, jungAdmin), status => status == "online", TimeSpan.FromSeconds(20), "the camera to be back online");
        var back = await Node.GetJsonAsync($"/api/v1/cameras/{camera}/status", police);
        Assert.Equal("relay", back.GetProperty("setBy").GetString());
        Assert.Equal(JsonValueKind.Null, back.GetProperty("cause").ValueKind);
        await SnapshotAsync(camera, police, HttpStatusCode.OK);
        Assert.Equal(front.Fingerprint, Assert.Single((await Node.GetJsonAsync($"/api/v1/cameras/{camera}/certificate-pins", jungAdmin)).EnumerateArray()).GetProperty("sha256").GetString());

        // The district's privacy officer reads each step in the ledger, in order.
        var officer = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
        var rows = (await Node.GetJsonAsync($"/api/v1/audit?camera={camera}&kind=camera-change&pageSize=100", officer)).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("entry")).Select(e => (Reason: Text(e, "reason"), Actor: Text(e, "actor"))).Reverse().ToArray();
        Assert.Equal(["certificate-pinned", "certificate-refused", "certificate-pin-forgotten", "certificate-pinned"],
            rows.Where(r => r.Reason?.StartsWith("certificate") == true).Select(r => r.Reason));
        Assert.Contains(("certificate-pin-forgotten", "control-jung/camera-admin"), rows);
    }

    private async Task<string?> StatusAsync(string camera, string token) => (await Node.GetJsonAsync($"/api/v1/cameras/{camera}", token)).GetProperty("status").GetString();

    private static string? Text(JsonElement row, string name) => row.TryGetProperty(name, out var value) ? value.GetString() : null;

    private async Task<string> SnapshotAsync(string camera, string token, HttpStatusCode expected)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot?purpose=monitoring", token);
        var body = response.StatusCode == HttpStatusCode.OK ? "" : await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    private async Task AssertStatusAsync(HttpMethod method, string path, string token, HttpStatusCode expected)
    {
        using var response = await Node.SendAsync(method, path, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }
}
