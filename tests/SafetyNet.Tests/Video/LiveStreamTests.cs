using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using SafetyNet.Grains.Media.Live;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.Video;

/// <summary>
/// The low-latency path end to end: real node, real ffmpeg, the RTSP test camera, a ClientWebSocket on the lease's liveUrl.
/// The socket carries the codec, the init segment and fragments from a keyframe; it answers only the lease's own token, and
/// it closes with the lease-end reason within a second of the right ending.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LiveStreamTests(VideoNodeFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_lease_receives_the_codec_the_init_segment_and_fragments_starting_at_a_keyframe()
    {
        var camera = await RegisterAsync("live1", "live");
        var (_, viewer) = await Node.SessionAsync("seoul-112", "live-viewer");
        var sinceLease = Stopwatch.StartNew();
        var lease = await VideoRequests.LeaseAsync(Node, viewer, camera);

        using var live = await LiveSocketClient.ConnectAsync(Node, lease.GetProperty("liveUrl").GetString()!);
        var (type, header) = await live.ReceiveAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(WebSocketMessageType.Text, type);
        var start = JsonSerializer.Deserialize<JsonElement>(header);
        Assert.Matches("^avc1\\.[0-9a-f]{6}$", start.GetProperty("codec").GetString());
        Assert.Equal("original", start.GetProperty("rendition").GetString());
        var (_, init) = await live.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("ftyp", BoxType(init));

        var (_, first) = await live.ReceiveAsync(TimeSpan.FromSeconds(5));
        var firstAt = sinceLease.Elapsed;
        Assert.Equal("moof", BoxType(first));
        Assert.True(Mp4Track.StartsWithKeyframe(first.AsSpan(8), Mp4Track.DefaultSampleFlags(init)), "the first fragment is not a keyframe");
        var arrivals = new List<TimeSpan>();
        var keyframes = 1;
        for (var i = 0; i < 60; i++)
        {
            var (_, fragment) = await live.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("moof", BoxType(fragment));
            arrivals.Add(sinceLease.Elapsed);
            if (Mp4Track.StartsWithKeyframe(fragment.AsSpan(8), Mp4Track.DefaultSampleFlags(init))) keyframes++;
        }
        Assert.InRange(keyframes, 2, 60);
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => (b - a).TotalMilliseconds).Order().ToList();
        output.WriteLine($"Cold lease to first fragment: {firstAt.TotalMilliseconds:F0} ms; fragment gaps p50 {gaps[gaps.Count / 2]:F0} ms, " +
                         $"p95 {gaps[(int)(gaps.Count * 0.95)]:F0} ms over {gaps.Count} gaps; {keyframes} keyframes in 61 fragments");

        // A second viewer of the running relay starts from the GOP cache: its first fragment is a keyframe, at once.
        var (_, second) = await Node.SessionAsync("seoul-112", "live-viewer-2");
        var warmLease = Stopwatch.StartNew();
        var lease2 = await VideoRequests.LeaseAsync(Node, second, camera);
        using var warm = await LiveSocketClient.ConnectAsync(Node, lease2.GetProperty("liveUrl").GetString()!);
        var (_, warmHeader) = await warm.ReceiveAsync(TimeSpan.FromSeconds(5));
        var (_, warmInit) = await warm.ReceiveAsync(TimeSpan.FromSeconds(5));
        var (_, warmFirst) = await warm.ReceiveAsync(TimeSpan.FromSeconds(5));
        output.WriteLine($"Warm lease to first fragment (GOP cache): {warmLease.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(Mp4Track.StartsWithKeyframe(warmFirst.AsSpan(8), Mp4Track.DefaultSampleFlags(warmInit)), "the cached GOP does not start at a keyframe");
        // The header counts the cached fragments, so a player knows where the live edge begins.
        Assert.InRange(JsonSerializer.Deserialize<JsonElement>(warmHeader).GetProperty("cached").GetInt32(), 1, 1_000);
    }

    [Fact]
    public async Task A_forged_token_another_cameras_token_or_a_foreign_page_is_refused()
    {
        var camera = await RegisterAsync("live2", "live-refuse");
        var (_, viewer) = await Node.SessionAsync("seoul-112", "live-refused");
        var liveUrl = (await VideoRequests.LeaseAsync(Node, viewer, camera)).GetProperty("liveUrl").GetString()!;
        var token = liveUrl[(liveUrl.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];

        var forged = $"/media/{camera}/live?token={token[..^2]}{(token[^2] == 'A' ? "BB" : "AA")}";
        var otherCamera = $"/media/{camera}x/live?token={token}";
        foreach (var url in (string[])[forged, otherCamera])
        {
            using var refused = await LiveSocketClient.TryConnectAsync(Node, url);
            Assert.NotEqual(WebSocketState.Open, refused.State);
            Assert.Equal(403, (int)refused.HttpStatusCode);
        }
        using var foreign = await LiveSocketClient.TryConnectAsync(Node, liveUrl, origin: "https://attacker.example");
        Assert.Equal(403, (int)foreign.HttpStatusCode);
        using var ownPage = await LiveSocketClient.TryConnectAsync(Node, liveUrl, origin: Node.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        Assert.Equal(WebSocketState.Open, ownPage.State);
    }

    [Fact]
    public async Task The_end_of_the_right_closes_the_socket_with_the_reason_within_a_second()
    {
        var admin = await Node.TokenAsync("control-dongjak", "live-maintainer", "district-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "live-maint", "11200", 37.49685, 126.954351, fixture.Camera.Url("live3"));
        var (_, viewer) = await Node.SessionAsync("seoul-112", "live-revoked");
        var lease = await VideoRequests.LeaseAsync(Node, viewer, camera);
        using var live = await LiveSocketClient.ConnectAsync(Node, lease.GetProperty("liveUrl").GetString()!);
        for (var i = 0; i < 4; i++) await live.ReceiveAsync(TimeSpan.FromSeconds(20));

        // Measured from before the change is sent: the bound covers the change's own round trip too.
        var sinceChange = Stopwatch.StartNew();
        using (var patch = await Node.SendAsync(HttpMethod.Patch, $"/api/v1/cameras/{camera}", admin, JsonContent.Create(new { status = "maintenance" })))
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        output.WriteLine($"The change was answered after {sinceChange.Elapsed.TotalMilliseconds:F0} ms");
        while ((await live.ReceiveAsync(TimeSpan.FromSeconds(5))).Type != WebSocketMessageType.Close)
        {
        }
        var closedAfter = sinceChange.Elapsed;

        output.WriteLine($"After the camera went into maintenance, the live socket closed {closedAfter.TotalMilliseconds:F0} ms later (bound {Bound.TotalMilliseconds:F0} ms)");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, live.Socket.CloseStatus);
        Assert.Equal("camera-maintenance", live.Socket.CloseStatusDescription);
        Assert.True(closedAfter <= Bound, $"closed {closedAfter.TotalMilliseconds:F0} ms after the revocation");
    }

    [Fact]
    public async Task Closing_the_incident_ends_its_grant_and_closes_the_socket_within_a_second()
    {
        const double Lat = 37.49750, Lon = 126.95500;
        var admin = await Node.TokenAsync("control-dongjak", "live-granter", "district-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "live-grant", "11200", Lat, Lon, fixture.Camera.Url("live2"));
        var incident = await VideoRequests.OpenIncidentAsync(Node, Lat, Lon);
        var (_, viewer) = await Node.SessionAsync("seoul-112", "live-granted");
        var lease = await VideoRequests.LeaseAsync(Node, viewer, camera, new { incidentId = incident });
        Assert.Equal("incident-grant", lease.GetProperty("reason").GetString());
        using var live = await LiveSocketClient.ConnectAsync(Node, lease.GetProperty("liveUrl").GetString()!);
        for (var i = 0; i < 4; i++) await live.ReceiveAsync(TimeSpan.FromSeconds(20));

        var dispatch = await Node.TokenAsync("seoul-112", "dispatch", "dispatch-system");
        var sinceClose = Stopwatch.StartNew();
        using (var close = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{incident}/close", dispatch, JsonContent.Create(new { reason = "resolved" })))
            Assert.True(close.IsSuccessStatusCode, await close.Content.ReadAsStringAsync());
        // The grant has ended once the close is answered (it is durable then); the bound runs from there.
        var answeredAfter = sinceClose.Elapsed;
        var sinceRevocation = Stopwatch.StartNew();
        while ((await live.ReceiveAsync(TimeSpan.FromSeconds(5))).Type != WebSocketMessageType.Close)
        {
        }
        var closedAfter = sinceRevocation.Elapsed;

        output.WriteLine($"The close was answered after {answeredAfter.TotalMilliseconds:F0} ms; the live socket closed {closedAfter.TotalMilliseconds:F0} ms " +
                         $"after that with '{live.Socket.CloseStatusDescription}' (bound {Bound.TotalMilliseconds:F0} ms)");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, live.Socket.CloseStatus);
        Assert.False(string.IsNullOrEmpty(live.Socket.CloseStatusDescription));
        Assert.True(closedAfter <= Bound, $"closed {closedAfter.TotalMilliseconds:F0} ms after the incident's close was answered");
    }

    private async Task<string> RegisterAsync(string path, string prefix)
    {
        var admin = await Node.TokenAsync("control-mapo", $"{prefix}-admin", "district-admin");
        return await VideoRequests.RegisterCameraAsync(Node, admin, prefix, "11140", 37.555453, 126.911915, fixture.Camera.Url(path));
    }

    private static string BoxType(byte[] box) => System.Text.Encoding.ASCII.GetString(box, 4, 4);
}
