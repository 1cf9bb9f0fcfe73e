using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Video;

/// <summary>
/// Issue 11, continuous viewing: a viewer keeps one playlist URL for as long as its right lasts, across any number of renewals,
/// because the media token is checked against the lease's current state, not against its first expiry.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ContinuousViewingTests(ShortLeaseNodeFixture fixture) : IClassFixture<ShortLeaseNodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact, Trait("Category", "Slow")]
    public async Task One_playlist_url_plays_across_three_renewals_past_the_first_expiry_and_stops_when_released()
    {
        var (leaseId, playlistUrl, viewer, firstExpiry) = await WatchAsync("continuous-viewer", "keep");
        var expiry = firstExpiry;
        for (var renewal = 1; renewal <= 3; renewal++)
        {
            // Renew at half the lifetime left, as the dashboard does, playing the playlist all the while.
            await PlayUntilAsync(playlistUrl, DateTimeOffset.UtcNow + (expiry - DateTimeOffset.UtcNow) / 2);
            using var renew = await Node.SendAsync(HttpMethod.Post, $"/api/v1/leases/{leaseId}/renew", viewer);
            var renewed = await renew.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(renew.IsSuccessStatusCode, renewed.ToString());
            Assert.Equal(playlistUrl, renewed.GetProperty("playlistUrl").GetString());
            Assert.True(renewed.GetProperty("expiresAt").GetDateTimeOffset() > expiry, $"renewal {renewal} did not extend the lease");
            expiry = renewed.GetProperty("expiresAt").GetDateTimeOffset();
        }
        var lastPlayed = await PlayUntilAsync(playlistUrl, firstExpiry + TimeSpan.FromSeconds(1));
        Assert.True(lastPlayed > firstExpiry, $"the original URL last answered 200 at {lastPlayed:O}, not past the first expiry {firstExpiry:O}");

        using (var release = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{leaseId}", viewer))
            Assert.Equal(204, (int)release.StatusCode);
        Assert.Equal("released", await RefusalReasonAsync(playlistUrl));
    }

    [Fact, Trait("Category", "Slow")]
    public async Task A_lease_nobody_renews_stops_answering_at_its_expiry()
    {
        var (_, playlistUrl, _, expiry) = await WatchAsync("lapsing-viewer", "lapse");

        var refusedAt = await Eventually.WaitAsync(async () =>
        {
            using var response = await Node.Http.GetAsync(playlistUrl);
            return response.IsSuccessStatusCode ? (DateTimeOffset?)null : DateTimeOffset.UtcNow;
        }, refused => refused is not null, expiry - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3), "the unrenewed lease's playlist to be refused");

        Assert.True(refusedAt >= expiry, $"the playlist was refused at {refusedAt:O}, before the lease expired at {expiry:O}");
        Assert.Equal("lease-expired", await RefusalReasonAsync(playlistUrl));
    }

    private async Task<(string LeaseId, string PlaylistUrl, string Viewer, DateTimeOffset Expiry)> WatchAsync(string viewerName, string prefix)
    {
        var admin = await Node.TokenAsync("control-seocho", "admin", "district-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, prefix, "11220", 37.470951, 127.033218, fixture.Camera.Url(ShortLeaseNodeFixture.Path));
        var (_, viewer) = await Node.SessionAsync("seoul-112", viewerName);
        var lease = await VideoRequests.LeaseAsync(Node, viewer, camera);
        var playlistUrl = lease.GetProperty("playlistUrl").GetString()!;
        await VideoRequests.PlaylistAsync(Node, playlistUrl);
        return (lease.GetProperty("leaseId").GetString()!, playlistUrl, viewer, lease.GetProperty("expiresAt").GetDateTimeOffset());
    }

    /// <summary>Reloads the playlist as a player does until <paramref name="until"/>, requiring 200 every time; returns the last success.</summary>
    private async Task<DateTimeOffset> PlayUntilAsync(string playlistUrl, DateTimeOffset until) => await Eventually.WaitAsync(async () =>
    {
        using var response = await Node.Http.GetAsync(playlistUrl);
        Assert.True(response.IsSuccessStatusCode, $"the playlist answered {(int)response.StatusCode} at {DateTimeOffset.UtcNow:O}: {await response.Content.ReadAsStringAsync()}");
        return DateTimeOffset.UtcNow;
    }, played => played >= until, until - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5), $"playing until {until:O}");

    private async Task<string?> RefusalReasonAsync(string url)
    {
        using var response = await Node.Http.GetAsync(url);
        Assert.Equal(403, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString();
    }
}

/// <summary>A node whose leases last 6 s, so that a test sees several renewals and an expiry; with its own RTSP test camera.</summary>
public sealed class ShortLeaseNodeFixture : IAsyncLifetime
{
    public const string Path = "continuous";

    public RtspTestCamera Camera { get; private set; } = null!;

    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Camera = await RtspTestCamera.StartAsync([Path]);
        Node = await TestNode.StartAsync(2_000, extra: new Dictionary<string, string?>
        {
            ["Leases:Lifetime"] = "00:00:06",
            ["Leases:PrewarmCount"] = "0",
            ["Media:LingerPeriod"] = "00:00:02",
            ["Media:StreamUrls:AllowLoopback"] = "true",
        });
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
        await Camera.DisposeAsync();
    }
}
