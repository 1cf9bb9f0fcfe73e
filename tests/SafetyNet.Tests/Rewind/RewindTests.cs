using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SafetyNet.Grains.Media;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Video;

namespace SafetyNet.Tests.Rewind;

/// <summary>
/// Rewind over real HTTP, a real RTSP camera and real ffmpeg: the district lets the 112 center rewind, so its lease rewinds
/// (audited) into segments older than the live window; a police station's lease on the same camera is refused with the
/// reason and reaches neither the window playlist nor an old segment by name.
/// </summary>
[Collection(RewindNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RewindTests(RewindNodeFixture fixture)
{
    private const int LiveSegments = 6;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_lease_with_the_recorded_video_right_rewinds_audited_and_one_without_is_refused_and_kept_to_the_live_window()
    {
        var camera = await PreparedCameraAsync("rewind");
        var (_, withRight) = await Node.SessionAsync("seoul-112", "rewind-operator");
        var (_, withoutRight) = await Node.SessionAsync("police-jung", "live-operator");
        var rewinder = await VideoRequests.LeaseAsync(Node, withRight, camera);
        var liveOnly = await VideoRequests.LeaseAsync(Node, withoutRight, camera);
        Assert.True(rewinder.GetProperty("recordedVideo").GetBoolean());
        Assert.False(liveOnly.GetProperty("recordedVideo").GetBoolean());

        // Let the window outgrow the live part: the live edge at least 12 s past the first live segment seen.
        var first = Served(await VideoRequests.PlaylistAsync(Node, rewinder.GetProperty("playlistUrl").GetString()!)).Segments[0].StartsAt!.Value;
        var live = await Eventually.WaitAsync(async () => Served(await PlaylistAsync(rewinder.GetProperty("playlistUrl").GetString()!)),
            p => p.Span?.End > first + TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(40), "the relay to keep 12 s");
        Assert.Equal(LiveSegments, live.Segments.Count);
        var target = first + TimeSpan.FromSeconds(1);

        // Without the right: refused with the reason, audited; the window playlist is refused too.
        using (var refused = await RewindAsync(withoutRight, liveOnly, new { at = target }))
        {
            Assert.Contains("separate right", await ProblemAssert.IsProblemAsync(refused, 403));
            Assert.Equal("recorded-video-not-allowed", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }
        var liveToken = liveOnly.GetProperty("token").GetString()!;
        using (var windowRefused = await Node.Http.GetAsync($"/media/{camera}/window.m3u8?token={Uri.EscapeDataString(liveToken)}"))
            Assert.Contains("recorded-video", await ProblemAssert.IsProblemAsync(windowRefused, 403));

        // With the right: the window's times, and a playlist of the whole window stamped with wall-clock times.
        using var rewound = await RewindAsync(withRight, rewinder, new { at = target });
        var answer = await rewound.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(rewound.IsSuccessStatusCode, answer.ToString());
        Assert.InRange(target, answer.GetProperty("windowStart").GetDateTimeOffset(), answer.GetProperty("windowEnd").GetDateTimeOffset());
        var windowUrl = new Uri(answer.GetProperty("windowPlaylistUrl").GetString()!, UriKind.RelativeOrAbsolute);
        var windowPath = windowUrl.IsAbsoluteUri ? windowUrl.PathAndQuery : windowUrl.OriginalString;
        var windowText = await PlaylistAsync(windowPath);
        var window = Served(windowText);
        Assert.True(window.Segments.Count > LiveSegments + 3, $"the window should hold more than the live part:\n{windowText}");
        var old = window.Segments.Last(s => s.StartsAt <= target);
        Assert.True(old.StartsAt < live.Segments[0].StartsAt, "the segment rewound to should be older than the live window");

        // The old segment plays for the rewinder; the live-only lease cannot fetch it by name, but can fetch a live one.
        var oldUrl = new Uri(new Uri("http://x" + windowPath), old.Name).AbsolutePath;
        var rewinderToken = rewinder.GetProperty("token").GetString()!;
        using (var segment = await Node.Http.GetAsync($"{oldUrl}?token={Uri.EscapeDataString(rewinderToken)}"))
        {
            Assert.Equal(200, (int)segment.StatusCode);
            Assert.Equal("video/mp2t", segment.Content.Headers.ContentType?.MediaType);
            Assert.True((await segment.Content.ReadAsByteArrayAsync()).Length > 1000);
        }
        using (var stolen = await Node.Http.GetAsync($"{oldUrl}?token={Uri.EscapeDataString(liveToken)}"))
            await ProblemAssert.IsProblemAsync(stolen, 404);
        var liveNow = Served(await PlaylistAsync(liveOnly.GetProperty("playlistUrl").GetString()!));
        Assert.Equal(LiveSegments, liveNow.Segments.Count);
        using (var liveSegment = await Node.Http.GetAsync($"/media/{camera}/{liveNow.Segments[^1].Name}?token={Uri.EscapeDataString(liveToken)}"))
            Assert.Equal(200, (int)liveSegment.StatusCode);

        // Both rewinds are in the ledger, with the lease, purpose, basis and target time.
        var auditor = await Node.TokenAsync("seoul-audit", "rewind-auditor", "auditor");
        using var rows = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?camera={camera}&kind=rewind", auditor);
        var entries = (await rows.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("entry")).ToList();
        var allowed = Assert.Single(entries, e => e.GetProperty("outcome").GetString() == "allow");
        Assert.Equal("recorded-video-by-district-policy", allowed.GetProperty("reason").GetString());
        Assert.Equal("seoul-112/rewind-operator", allowed.GetProperty("actor").GetString());
        Assert.Equal("monitoring", allowed.GetProperty("purpose").GetString());
        var details = JsonDocument.Parse(allowed.GetProperty("details").GetString()!).RootElement;
        Assert.Equal(rewinder.GetProperty("leaseId").GetString(), details.GetProperty("leaseId").GetString());
        Assert.Equal(target, details.GetProperty("at").GetDateTimeOffset());
        var denied = Assert.Single(entries, e => e.GetProperty("outcome").GetString() == "deny");
        Assert.Equal("recorded-video-not-allowed", denied.GetProperty("reason").GetString());
        Assert.Equal("police-jung/live-operator", denied.GetProperty("actor").GetString());

        foreach (var (lease, token) in new[] { (rewinder, withRight), (liveOnly, withoutRight) })
            using (await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", token)) { }
    }

    [Fact]
    public async Task Hostile_rewinds_are_answered_with_problems()
    {
        var camera = await PreparedCameraAsync("hostile");
        var (_, owner) = await Node.SessionAsync("seoul-112", "hostile-owner");
        var (_, other) = await Node.SessionAsync("seoul-112", "hostile-other");
        var lease = await VideoRequests.LeaseAsync(Node, owner, camera);
        await VideoRequests.PlaylistAsync(Node, lease.GetProperty("playlistUrl").GetString()!);
        var leaseId = lease.GetProperty("leaseId").GetString()!;

        using (var outside = await RewindAsync(owner, lease, new { at = DateTimeOffset.UtcNow.AddHours(-1) }))
        {
            Assert.Contains("outside the window", await ProblemAssert.IsProblemAsync(outside, 422));
            Assert.Equal("rewind-outside-window", (await outside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }
        using (var future = await RewindAsync(owner, lease, new { secondsBack = -5 })) await ProblemAssert.IsProblemAsync(future, 400);
        using (var both = await RewindAsync(owner, lease, new { at = DateTimeOffset.UtcNow, secondsBack = 5 })) await ProblemAssert.IsProblemAsync(both, 400);
        using (var neither = await RewindAsync(owner, lease, new { })) await ProblemAssert.IsProblemAsync(neither, 400);
        using (var garbled = await Node.SendAsync(HttpMethod.Post, $"/api/v1/leases/{leaseId}/rewind", owner,
                   new StringContent("{\"at\":\"yesterday\"}", System.Text.Encoding.UTF8, "application/json")))
            await ProblemAssert.IsProblemAsync(garbled, 400);
        using (var othersLease = await RewindAsync(other, lease, new { secondsBack = 1 })) await ProblemAssert.IsProblemAsync(othersLease, 404);
        using (var unknown = await Node.SendAsync(HttpMethod.Post, "/api/v1/leases/nope/rewind", owner, JsonContent.Create(new { secondsBack = 1 })))
            await ProblemAssert.IsProblemAsync(unknown, 404);
        using (var unknownOnCamera = await Node.SendAsync(HttpMethod.Post, $"/api/v1/leases/{leaseId}x/rewind", owner, JsonContent.Create(new { secondsBack = 1 })))
            await ProblemAssert.IsProblemAsync(unknownOnCamera, 404);

        using (await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{leaseId}", owner)) { }
    }

    /// <summary>A camera in Jung-gu, whose district admin lets the 112 center (not police stations) rewind.</summary>
    private async Task<string> PreparedCameraAsync(string prefix)
    {
        var platform = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, platform, prefix, "11020", 37.5641, 126.9971, fixture.Camera.Url("a"));
        var districtAdmin = await Node.TokenAsync("control-jung", "admin", "district-admin");
        using var put = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11020/recorded-video-policy", districtAdmin,
            JsonContent.Create(new { agencyKinds = new[] { "police-112-center" } }));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        return camera;
    }

    /// <summary>A playlist as served, read without the token each segment URI carries.</summary>
    private static HlsPlaylist Served(string text) => HlsPlaylist.Parse(Regex.Replace(text, @"\?token=[^\n]*", ""));

    private Task<HttpResponseMessage> RewindAsync(string token, JsonElement lease, object body) =>
        Node.SendAsync(HttpMethod.Post, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}/rewind", token, JsonContent.Create(body));

    private async Task<string> PlaylistAsync(string url)
    {
        using var response = await Node.Http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }
}
