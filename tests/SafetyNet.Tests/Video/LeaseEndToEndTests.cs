using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Contracts.Districts;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Video;

/// <summary>Issue 4 over real HTTP: leases, one shared ffmpeg relay, HLS that ffprobe reads as H.264, revocation, caps.</summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LeaseEndToEndTests(VideoNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private async Task<string> RegisterCameraAsync(string path, string district, double lat, double lon, string purpose = "crime-prevention")
    {
        var id = $"video-{path}-{Guid.NewGuid():N}"[..24];
        var admin = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", admin,
            new StringContent($"id,district,lat,lon,purpose,stream_url\n{id},{district},{lat},{lon},{purpose},{fixture.Camera.Url(path)}\n", Encoding.UTF8, "text/csv"));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(report.GetProperty("created").GetInt32() == 1, report.ToString());
        return id;
    }

    private async Task<(int Status, JsonElement Body)> LeaseAsync(string token, string cameraId, object? body = null)
    {
        using var response = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{cameraId}/leases", token, JsonContent.Create(body ?? new { purpose = "monitoring" }));
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<string> PlaylistAsync(string playlistUrl) => await Eventually.WaitAsync(async () =>
    {
        using var response = await Node.Http.GetAsync(playlistUrl);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
    }, text => text.Contains(".ts"), TimeSpan.FromSeconds(20), "the relay's playlist to list a segment");

    private static string FirstSegment(string playlistUrl, string playlist) =>
        new Uri(new Uri("http://x" + playlistUrl), playlist.Split('\n').First(l => l.Contains(".ts")).Trim()).PathAndQuery;

    [Fact]
    public async Task A_lease_plays_h264_two_viewers_share_one_relay_and_a_released_lease_is_refused_at_once()
    {
        var camera = await RegisterCameraAsync("a", "11020", 37.5640, 126.9970);
        var (_, first) = await Node.SessionAsync("seoul-112", "viewer-1");
        var (_, second) = await Node.SessionAsync("seoul-112", "viewer-2");

        var (status, lease) = await LeaseAsync(first, camera);
        Assert.True(status == 201, lease.ToString());
        var playlistUrl = lease.GetProperty("playlistUrl").GetString()!;
        var playlist = await PlaylistAsync(playlistUrl);
        var segmentPath = FirstSegment(playlistUrl, playlist);
        var segment = Path.Combine(Node.DataDirectory, "probe.ts");
        await File.WriteAllBytesAsync(segment, await Node.Http.GetByteArrayAsync(segmentPath));
        Assert.Equal("h264", await ProbeCodecAsync(segment));

        var (secondStatus, secondLease) = await LeaseAsync(second, camera);
        Assert.Equal(201, secondStatus);
        await PlaylistAsync(secondLease.GetProperty("playlistUrl").GetString()!);
        Assert.Single(fixture.RelayProcesses(camera));

        using (var release = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", first))
            Assert.Equal(204, (int)release.StatusCode);
        using var refused = await Node.Http.GetAsync(segmentPath);
        Assert.Contains("lease has ended", await ProblemAssert.IsProblemAsync(refused, 403));
        using var stillPlaying = await Node.Http.GetAsync(secondLease.GetProperty("playlistUrl").GetString()!);
        Assert.Equal(200, (int)stillPlaying.StatusCode);

        using (var release = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{secondLease.GetProperty("leaseId").GetString()}", second))
            Assert.Equal(204, (int)release.StatusCode);
        await Eventually.WaitAsync(() => Task.FromResult(fixture.RelayProcesses(camera).Count), n => n == 0, TimeSpan.FromSeconds(20),
            "the relay to stop once the linger period after the last lease has passed");
    }

    [Fact]
    public async Task Denied_leases_say_why_and_forged_or_foreign_tokens_are_refused()
    {
        var camera = await RegisterCameraAsync("b", "11030", 37.5300, 126.9800);
        var (_, fire) = await Node.SessionAsync("seoul-119", "fire-viewer");
        var (status, denied) = await LeaseAsync(fire, camera);
        Assert.Equal(403, status);
        Assert.Equal("incident-required", denied.GetProperty("reason").GetString());

        var (_, police) = await Node.SessionAsync("seoul-112", "viewer-3");
        var (_, lease) = await LeaseAsync(police, camera);
        var url = lease.GetProperty("playlistUrl").GetString()!;
        var token = lease.GetProperty("token").GetString()!;
        var forged = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        using var forgedResponse = await Node.Http.GetAsync(url.Replace(token, forged));
        Assert.Contains("signature", await ProblemAssert.IsProblemAsync(forgedResponse, 403));
        using var foreign = await Node.Http.GetAsync($"/media/some-other-camera/index.m3u8?token={token}");
        Assert.Contains("another camera", await ProblemAssert.IsProblemAsync(foreign, 403));
        using var missing = await Node.Http.GetAsync($"/media/{camera}/index.m3u8");
        await ProblemAssert.IsProblemAsync(missing, 403);
        await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", police);
    }

    [Fact]
    public async Task A_snapshot_is_a_jpeg_and_needs_the_same_decision()
    {
        var camera = await RegisterCameraAsync("c", "11040", 37.5500, 127.0400);
        var (_, police) = await Node.SessionAsync("seoul-112", "viewer-4");
        using var snapshot = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot", police);
        Assert.Equal("image/jpeg", snapshot.Content.Headers.ContentType?.MediaType);
        var jpeg = await snapshot.Content.ReadAsByteArrayAsync();
        Assert.True(jpeg.Length > 1000 && jpeg[0] == 0xFF && jpeg[1] == 0xD8 && jpeg[^2] == 0xFF && jpeg[^1] == 0xD9);

        var (_, fire) = await Node.SessionAsync("seoul-119", "fire-viewer-2");
        using var refused = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot", fire);
        Assert.Contains("incident", await ProblemAssert.IsProblemAsync(refused, 403));
    }

    [Fact]
    public async Task Caps_refuse_with_429_and_503_and_an_incident_viewer_preempts_a_standing_one()
    {
        var busy = await RegisterCameraAsync("d", "11250", 37.5500, 127.1450);
        var viewers = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var (_, token) = await Node.SessionAsync("seoul-112", $"cap-viewer-{i}");
            var (status, _) = await LeaseAsync(token, busy);
            Assert.Equal(201, status);
            viewers.Add(token);
        }
        var (_, third) = await Node.SessionAsync("seoul-112", "cap-viewer-3");
        var (tooMany, problem) = await LeaseAsync(third, busy);
        Assert.Equal(429, tooMany);
        Assert.Contains("viewers", problem.GetProperty("detail").GetString());

        var second = await RegisterCameraAsync("e", "11250", 37.5510, 127.1460);
        var (ok, _) = await LeaseAsync(third, second);
        Assert.Equal(201, ok);
        var saturated = await RegisterCameraAsync("f", "11250", 37.5520, 127.1470);
        var (unavailable, uplink) = await LeaseAsync(third, saturated);
        Assert.Equal(503, unavailable);
        Assert.Contains("uplink", uplink.GetProperty("detail").GetString());

        var dispatcher = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
        using var opened = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", dispatcher,
            JsonContent.Create(new { type = "112-emergency-video", latitude = 37.5500, longitude = 127.1450, priority = 1, agencies = new[] { "seoul-112" } }));
        var incident = await opened.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(incident.GetProperty("cameras").EnumerateArray(), c => c.GetProperty("cameraId").GetString() == busy);
        var (_, responder) = await Node.SessionAsync("seoul-112", "responder");
        var (preempting, lease) = await LeaseAsync(responder, busy, new { purpose = "emergency-response", incidentId = incident.GetProperty("id").GetString() });
        Assert.True(preempting == 201, lease.ToString());
        Assert.Equal("incident-grant", lease.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_uplink_slot_is_kept_while_its_relay_runs_and_a_slot_nobody_renews_lapses()
    {
        var (_, token) = await Node.SessionAsync("seoul-112", "uplink-viewer");
        var running = await RegisterCameraAsync("a", "11230", 37.5120, 127.0590);
        Assert.Equal(201, (await LeaseAsync(token, running)).Status);
        // Then a claim whose relay died with its node: nobody renews it (the fixture's claims last 3 s). It is younger than
        // the running relay's first claim, so by the time it lapses that one would have lapsed too, had it not been renewed.
        var district = Node.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IDistrictGrain>("11230");
        Assert.True(await district.TryAcquireUpstreamAsync("relay-of-a-dead-node", cap: 2));
        var waiting = await RegisterCameraAsync("b", "11230", 37.5130, 127.0600);
        Assert.Equal(503, (await LeaseAsync(token, waiting)).Status);

        // The dead node's slot lapses and goes to the waiting camera ...
        await Eventually.WaitAsync(async () => (await LeaseAsync(token, waiting)).Status, status => status == 201, TimeSpan.FromSeconds(30),
            "the unrenewed uplink claim to lapse");
        // ... while the running relay has renewed its own (had it lapsed too, this third camera would get it).
        var third = await RegisterCameraAsync("c", "11230", 37.5140, 127.0610);
        Assert.Equal(503, (await LeaseAsync(token, third)).Status);
    }

    private static async Task<string> ProbeCodecAsync(string file)
    {
        using var probe = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file])
        {
            RedirectStandardOutput = true,
        })!;
        var output = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Single();
    }
}
