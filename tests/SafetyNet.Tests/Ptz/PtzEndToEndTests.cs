using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;
using SafetyNet.Tests.Media.Uplink;

namespace SafetyNet.Tests.Ptz;

/// <summary>
/// Issue 13's PTZ acceptance on a real node: the right comes only from an incident type that grants it; the lock, a move that
/// turns the real ONVIF device, refusal of an equal priority, preemption by a higher one, return home when the lock is
/// released, lapses or loses its lease; and every step in the ledger, without the device's password.
/// </summary>
[Collection(PtzNodeCollection.Name), Trait("Category", "Slow")]
public sealed class PtzEndToEndTests(PtzNodeFixture fixture)
{
    private const double Lat = 37.5652, Lon = 126.9895;
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Only_an_incident_granting_ptz_turns_the_camera_under_one_lock_with_preemption_return_home_and_audit()
    {
        var districtAdmin = await Node.TokenAsync("control-jung", "ptz-admin", "district-admin");
        var camera = $"ptz-{Guid.NewGuid():N}"[..20];
        var plain = $"{camera}-plain";
        using (var import = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", districtAdmin, new StringContent(
                   $"id,district,lat,lon,purpose,stream_url,onvif_url\n{camera},11020,{Lat},{Lon},crime-prevention,{fixture.Camera.Url("ptz")},{fixture.Device.Url}\n" +
                   $"{plain},11020,{Lat + 0.0001},{Lon},crime-prevention,{fixture.Camera.Url("ptz")},\n", Encoding.UTF8, "text/csv")))
            Assert.Equal(2, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());

        // The device's password reaches no viewer.
        var (_, jung) = await Node.SessionAsync("police-jung", "ptz-a");
        var seen = await JsonAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}", jung);
        Assert.Equal($"http://***@{fixture.Device.ServiceUrl.Authority}/onvif/device_service", seen.GetProperty("onvifUrl").GetString());
        Assert.Equal(fixture.Device.Url, (await JsonAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}", districtAdmin)).GetProperty("onvifUrl").GetString());

        // Standing access carries no PTZ right.
        var standing = await LeaseAsync(jung, camera, new { purpose = "monitoring" });
        Assert.False(standing.GetProperty("ptz").GetBoolean());
        await RefusedAsync(HttpMethod.Post, camera, "lock", jung, 403, "ptz-not-granted");
        await ReleaseLeaseAsync(jung, standing);

        var routine = await OpenIncidentAsync(priority: 3);
        var urgent = await OpenIncidentAsync(priority: 1);
        var leaseA = await LeaseAsync(jung, camera, new { incidentId = routine });
        Assert.True(leaseA.GetProperty("ptz").GetBoolean());

        // Lock, move: the device turns; stop.
        await RefusedAsync(HttpMethod.Post, camera, "move", jung, 409, "ptz-not-lock-holder", new { pan = 1, tilt = 0.5 });
        var locked = await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/lock", jung);
        Assert.True(locked.GetProperty("lock").GetProperty("yours").GetBoolean());
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/move", jung, new { pan = 1, tilt = 0.5 });
        await Eventually.WaitAsync(() => fixture.Probe.GetStatusAsync(), p => p.Pan > 0.2 && p.Tilt > 0.1, TimeSpan.FromSeconds(5), "the device to turn");
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/stop", jung);
        Assert.False((await fixture.Probe.GetStatusAsync()).Moving);
        var state = await JsonAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/ptz", jung);
        Assert.Contains(state.GetProperty("presets").EnumerateArray(), p => p.GetProperty("token").GetString() == "gate");

        // Hostile input: out-of-range velocity, unknown preset, no device, another camera's lease.
        await RefusedAsync(HttpMethod.Post, camera, "move", jung, 400, null, new { pan = 2, tilt = 0 });
        await RefusedAsync(HttpMethod.Post, camera, "move", jung, 400, null, new { pan = 0, tilt = 0 });
        await RefusedAsync(HttpMethod.Post, camera, "preset", jung, 422, "ptz-unknown-preset", new { token = "nowhere" });
        var plainLease = await LeaseAsync(jung, plain, new { incidentId = routine });
        await RefusedAsync(HttpMethod.Post, plain, "lock", jung, 409, "ptz-no-device");

        // Another agency at the same priority is refused, told who holds it until when.
        var (_, center) = await Node.SessionAsync("seoul-112", "ptz-b");
        var leaseB = await LeaseAsync(center, camera, new { incidentId = routine });
        var busy = await RefusedAsync(HttpMethod.Post, camera, "lock", center, 409, "ptz-locked");
        Assert.Equal("police-jung", busy.GetProperty("holderAgency").GetString());
        Assert.True(busy.GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var (_, elsewhere) = await Node.SessionAsync("police-jung", "ptz-d");
        var elsewhereLease = await LeaseAsync(elsewhere, plain, new { incidentId = routine });
        await RefusedAsync(HttpMethod.Post, camera, "lock", elsewhere, 403, "ptz-no-lease");
        await ReleaseLeaseAsync(elsewhere, elsewhereLease);

        // A higher-priority incident preempts; the previous holder's commands are refused; releasing sends the camera home.
        var (_, urgentDesk) = await Node.SessionAsync("seoul-112", "ptz-c");
        await LeaseAsync(urgentDesk, camera, new { incidentId = urgent });
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/lock", urgentDesk);
        await RefusedAsync(HttpMethod.Post, camera, "move", jung, 409, "ptz-locked", new { pan = -1, tilt = 0 });
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/preset", urgentDesk, new { token = "gate" });
        Assert.Equal(0.5, (await fixture.Probe.GetStatusAsync()).Pan, 3);
        await JsonAsync(HttpMethod.Delete, $"/api/v1/cameras/{camera}/ptz/lock", urgentDesk);
        await AtHomeAsync("after the lock was released");

        // A lock lapses without commands (5 s here) and the camera goes home.
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/lock", jung);
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/preset", jung, new { token = "gate" });
        await AtHomeAsync("after the lock lapsed", TimeSpan.FromSeconds(15));

        // A lock ends with its lease, and the camera goes home.
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/lock", jung);
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/preset", jung, new { token = "gate" });
        await ReleaseLeaseAsync(jung, leaseA);
        await AtHomeAsync("after the holder's lease ended");
        await ReleaseLeaseAsync(jung, plainLease);
        await ReleaseLeaseAsync(center, leaseB);

        // The ledger has every step, and never the device's password.
        var auditor = await Node.TokenAsync("seoul-audit", "ptz-auditor", "auditor");
        var ledger = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?camera={camera}&pageSize=500", auditor);
        var text = await ledger.Content.ReadAsStringAsync();
        Assert.DoesNotContain(OnvifTestDevice.Password, text);
        Assert.DoesNotContain(Uri.EscapeDataString(OnvifTestDevice.Password), text);
        var rows = JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("entry")).ToArray();
        string[] Steps(string kind) => rows.Where(r => r.GetProperty("kind").GetString() == kind)
            .Select(r => $"{r.GetProperty("outcome").GetString()}:{(r.TryGetProperty("reason", out var reason) ? reason.GetString() : null)}").ToArray();
        var locks = Steps("ptz-lock");
        foreach (var step in new[] { "deny:ptz-not-granted", "acquire:", "deny:ptz-locked", "preempt:", "end:released", "end:expired", "end:lease-ended" })
            Assert.Contains(locks, s => s.StartsWith(step, StringComparison.Ordinal));
        var commands = Steps("ptz-command");
        foreach (var step in new[] { "allow:", "deny:ptz-not-lock-holder", "deny:ptz-locked", "deny:ptz-unknown-preset", "allow:home-after-released", "allow:home-after-expired", "allow:home-after-lease-ended" })
            Assert.Contains(commands, s => s.StartsWith(step, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.GetProperty("kind").GetString() == "preemption" && r.GetProperty("outcome").GetString() == "ptz");
    }

    /// <summary>
    /// The camera itself under PTZ: the clock-pattern test camera serves ONVIF for its path and crops its scene by the pan and
    /// tilt it was told, so a move under the lock visibly turns the picture, and giving the lock back turns it home.
    /// </summary>
    [Fact]
    public async Task A_move_under_the_lock_turns_the_picture_and_giving_the_lock_back_turns_it_home()
    {
        await using var turning = await RtspTestCamera.StartAsync(["turning"], onvif: new TestCameraOnvif(OnvifTestDevice.User, OnvifTestDevice.Password));
        var device = turning.OnvifUrl!;
        var onvifUrl = $"http://{Uri.EscapeDataString(OnvifTestDevice.User)}:{Uri.EscapeDataString(OnvifTestDevice.Password)}@{device.Authority}{device.AbsolutePath}";
        var districtAdmin = await Node.TokenAsync("control-jung", "ptz-admin", "district-admin");
        var camera = $"ptz-picture-{Guid.NewGuid():N}"[..24];
        using (var import = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", districtAdmin, new StringContent(
                   $"id,district,lat,lon,purpose,stream_url,onvif_url\n{camera},11020,{Lat},{Lon},crime-prevention,{turning.Url("turning")},{onvifUrl}\n", Encoding.UTF8, "text/csv")))
            Assert.Equal(1, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        var (_, desk) = await Node.SessionAsync("police-jung", "ptz-picture");
        var lease = await LeaseAsync(desk, camera, new { incidentId = await OpenIncidentAsync(priority: 2) });

        var home = await JpegPixels.GrabAsync(turning.Url("turning"));
        // The scene only: below the label and clock at the top, above the clock pattern at the bottom.
        double Turned(JpegPixels now) => now.MeanDifference(home, 0, home.Height / 6, home.Width, home.Height * 2 / 3);
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/lock", desk);
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/move", desk, new { pan = 1, tilt = 0.5 });
        var moved = await Eventually.WaitAsync(() => JpegPixels.GrabAsync(turning.Url("turning")), p => Turned(p) > 15, TimeSpan.FromSeconds(10), "the picture to turn");
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/stop", desk);
        await JsonAsync(HttpMethod.Delete, $"/api/v1/cameras/{camera}/ptz/lock", desk);
        var back = await Eventually.WaitAsync(() => JpegPixels.GrabAsync(turning.Url("turning")), p => Turned(p) < 5, TimeSpan.FromSeconds(10), "the picture to turn home");
        Console.WriteLine($"PTZ picture: turned by {Turned(moved):F1} grey levels, {Turned(back):F1} after going home");
        await ReleaseLeaseAsync(desk, lease);
    }

    /// <summary>
    /// A camera reached over TLS at two places, its RTSPS stream and its ONVIF device over HTTPS, is held to the certificate
    /// each first presented. Someone answering for the ONVIF device gets no command (and so no credential), while the picture
    /// plays on; the district forgets that one pin, and the next command pins the new certificate.
    /// </summary>
    [Fact]
    public async Task Journey_district_admin_a_cameras_onvif_device_over_https_is_held_to_its_own_pinned_certificate_beside_its_streams()
    {
        await using var streamFront = new TlsCameraFront(fixture.Camera.Port);
        await using var onvifFront = new TlsCameraFront(fixture.Device.ServiceUrl.Port);
        var jungAdmin = await Node.TokenAsync("control-jung", "pin-admin", "district-admin");
        var camera = $"ptz-tls-{Guid.NewGuid():N}"[..20];
        var onvifUrl = $"https://{Uri.EscapeDataString(OnvifTestDevice.User)}:{Uri.EscapeDataString(OnvifTestDevice.Password)}@localhost:{onvifFront.Port}/onvif/device_service";
        using (var import = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", jungAdmin, new StringContent(
                   $"id,district,lat,lon,purpose,stream_url,onvif_url\n{camera},11020,{Lat},{Lon},crime-prevention,rtsps://localhost:{streamFront.Port}/ptz,{onvifUrl}\n",
                   Encoding.UTF8, "text/csv")))
            Assert.Equal(1, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        var (_, desk) = await Node.SessionAsync("police-jung", "ptz-tls");
        var lease = await LeaseAsync(desk, camera, new { incidentId = await OpenIncidentAsync(priority: 2) });
        var (streamAt, onvifAt) = ($"localhost:{streamFront.Port}", $"localhost:{onvifFront.Port}");
        var onvifFirst = onvifFront.Fingerprint;

        // First use of each: the snapshot pins the stream's certificate, the first command the ONVIF device's.
        await SnapshotAsync(camera, desk, 200);
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/lock", desk);
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/preset", desk, new { token = "gate" });
        await Eventually.WaitAsync(() => fixture.Probe.GetStatusAsync(), p => Math.Abs(p.Pan - 0.5) < 1e-3, TimeSpan.FromSeconds(5), "the device to turn to the gate");
        var pins = await PinsAsync(camera, jungAdmin);
        Assert.Equal(streamFront.Fingerprint, pins[streamAt].GetProperty("sha256").GetString());
        Assert.Equal(onvifFirst, pins[onvifAt].GetProperty("sha256").GetString());
        Assert.Equal(["stream"], pins[streamAt].GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["onvif"], pins[onvifAt].GetProperty("services").EnumerateArray().Select(s => s.GetString()));

        // Someone on the path answers for the ONVIF device: the command is refused saying why, the device does not move,
        // and the picture, held to its own pin, still comes.
        onvifFront.ReplaceCertificate();
        using (var refused = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/preset", desk, JsonContent.Create(new { token = "home" })))
        {
            var text = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable, text);
            Assert.Contains(onvifFront.Fingerprint, text);
            Assert.Equal("camera-certificate-changed", JsonDocument.Parse(text).RootElement.GetProperty("reason").GetString());
            Assert.DoesNotContain(OnvifTestDevice.Password, text);
        }
        Assert.Equal(0.5, Math.Round((await fixture.Probe.GetStatusAsync()).Pan, 3));
        await SnapshotAsync(camera, desk, 200);
        pins = await PinsAsync(camera, jungAdmin);
        Assert.Equal(onvifFront.Fingerprint, pins[onvifAt].GetProperty("refusedSha256").GetString());
        Assert.Equal(JsonValueKind.Null, pins[streamAt].GetProperty("refusedSha256").ValueKind);

        // Only the camera's district forgets a pin, one at a time; nonsense is refused.
        var gangnamAdmin = await Node.TokenAsync("control-gangnam", "pin-admin", "district-admin");
        await PinStatusAsync(HttpMethod.Delete, camera, $"?authority={Uri.EscapeDataString(onvifAt)}", gangnamAdmin, 403);
        await PinStatusAsync(HttpMethod.Delete, camera, $"?authority={Uri.EscapeDataString(onvifAt)}", desk, 403);
        await PinStatusAsync(HttpMethod.Delete, camera, "?authority=%20", jungAdmin, 400);
        await PinStatusAsync(HttpMethod.Delete, camera, $"?authority={new string('h', 400)}", jungAdmin, 400);
        await PinStatusAsync(HttpMethod.Delete, camera, "?authority=elsewhere:443", jungAdmin, 404);
        await PinStatusAsync(HttpMethod.Delete, camera, $"?authority={Uri.EscapeDataString(onvifAt)}", jungAdmin, 200);
        Assert.Equal([streamAt], (await PinsAsync(camera, jungAdmin)).Keys);

        // The next command pins the certificate the device presents now, and turns it.
        await JsonAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/ptz/preset", desk, new { token = "home" });
        await AtHomeAsync("after its new certificate was pinned");
        Assert.Equal(onvifFront.Fingerprint, (await PinsAsync(camera, jungAdmin))[onvifAt].GetProperty("sha256").GetString());
        await JsonAsync(HttpMethod.Delete, $"/api/v1/cameras/{camera}/ptz/lock", desk);
        await ReleaseLeaseAsync(desk, lease);

        // The district moves the ONVIF device to plain HTTP on its camera network: the old pin is for no service now.
        await JsonAsync(HttpMethod.Patch, $"/api/v1/cameras/{camera}", jungAdmin, new Dictionary<string, string> { ["onvifUrl"] = fixture.Device.Url });
        Assert.Empty((await PinsAsync(camera, jungAdmin))[onvifAt].GetProperty("services").EnumerateArray());

        // The district's privacy officer reads each step, and at which of the camera's addresses.
        var officer = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
        var steps = (await JsonAsync(HttpMethod.Get, $"/api/v1/audit?camera={camera}&kind=camera-change&pageSize=100", officer)).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("entry")).Where(e => e.TryGetProperty("reason", out var reason) && reason.GetString()?.StartsWith("certificate") == true).Reverse()
            .Select(e => $"{e.GetProperty("reason").GetString()} {JsonDocument.Parse(e.GetProperty("details").GetString()!).RootElement.GetProperty("authority").GetString()}");
        Assert.Equal([$"certificate-pinned {streamAt}", $"certificate-pinned {onvifAt}", $"certificate-refused {onvifAt}", $"certificate-pin-forgotten {onvifAt}",
            $"certificate-pinned {onvifAt}"], steps);
    }

    private async Task SnapshotAsync(string camera, string token, int expected)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot?purpose=monitoring", token);
        Assert.True((int)response.StatusCode == expected, $"{(int)response.StatusCode}: {(expected == 200 ? await response.Content.ReadAsStringAsync() : "")}");
    }

    /// <summary>The camera's pins as its district admin reads them, by host and port.</summary>
    private async Task<Dictionary<string, JsonElement>> PinsAsync(string camera, string token) =>
        (await JsonAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/certificate-pins", token)).EnumerateArray()
        .ToDictionary(p => p.GetProperty("authority").GetString()!);

    private async Task PinStatusAsync(HttpMethod method, string camera, string query, string token, int expected)
    {
        using var response = await Node.SendAsync(method, $"/api/v1/cameras/{camera}/certificate-pins{query}", token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{method} {query}: expected {expected}, got {(int)response.StatusCode} {text}");
        if (expected != 200) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task AtHomeAsync(string when, TimeSpan? timeout = null) =>
        await Eventually.WaitAsync(() => fixture.Probe.GetStatusAsync(), p => Math.Abs(p.Pan) < 1e-3 && Math.Abs(p.Tilt) < 1e-3,
            timeout ?? TimeSpan.FromSeconds(5), $"the camera to go home {when}");

    private async Task<string> OpenIncidentAsync(int priority)
    {
        var dispatch = await Node.TokenAsync("seoul-112", "ptz-dispatch", "dispatch-system");
        var incident = await JsonAsync(HttpMethod.Post, "/api/v1/incidents", dispatch, new
        {
            type = "112-dispatch", latitude = Lat, longitude = Lon, priority, externalReference = $"PTZ-{Guid.NewGuid():N}", justification = "ptz test",
        });
        return incident.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> LeaseAsync(string token, string camera, object body)
    {
        using var response = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/leases", token, JsonContent.Create(body));
        var lease = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, lease.ToString());
        return lease;
    }

    private async Task ReleaseLeaseAsync(string token, JsonElement lease)
    {
        using var response = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", token);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> JsonAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var response = await Node.SendAsync(method, path, token, body is null ? null : JsonContent.Create(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A refused PTZ request: its status and (for a refusal by the rules) its reason, as a ProblemDetails.</summary>
    private async Task<JsonElement> RefusedAsync(HttpMethod method, string camera, string action, string token, int status, string? reason, object? body = null)
    {
        using var response = await Node.SendAsync(method, $"/api/v1/cameras/{camera}/ptz/{action}", token, body is null ? null : JsonContent.Create(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{method} {camera}/ptz/{action}: expected {status}, got {(int)response.StatusCode} {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        if (reason is not null) Assert.Equal(reason, problem.GetProperty("reason").GetString());
        return problem;
    }
}
