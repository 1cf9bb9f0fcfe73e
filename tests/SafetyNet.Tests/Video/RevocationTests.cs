using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.Video;

/// <summary>
/// Revocation follows the rule, not the lease clock: when the district's policy or the camera's status stops allowing a lease,
/// the next segment request is refused within 1 s, with the reason, and the lease is revoked with a leaseRevoked event.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RevocationTests(VideoNodeFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    private TestNode Node => fixture.Node;

    [Fact, Trait("Category", "Slow")]
    public async Task A_district_setting_the_pair_to_never_refuses_the_next_segment_within_a_second_and_revokes_the_lease()
    {
        var admin = await Node.TokenAsync("control-mapo", "privacy-admin", "district-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "never", "11140", 37.555453, 126.911915, fixture.Camera.Url("a"));
        var (leaseId, playlistUrl, segment, board) = await WatchAsync(camera, "never-viewer");
        await using (board)
        {
            await using (await PolicyOverride.SetAsync(Node, admin, "11140", "police-112-center", "crime-prevention", "never"))
            {
                await AssertRefusedWithinBoundAsync(segment, "policy-never", "the policy change to never");
                await AssertRefusedAsync(playlistUrl, "policy-never");
                await board.WaitForAsync("leaseRevoked", e => e.GetProperty("leaseId").GetString() == leaseId && e.GetProperty("reason").GetString() == "policy-never");
            }
        }
    }

    [Fact, Trait("Category", "Slow")]
    public async Task A_camera_put_into_maintenance_refuses_the_next_segment_within_a_second_and_revokes_the_lease()
    {
        var admin = await Node.TokenAsync("control-dongjak", "maintainer", "district-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "maint", "11200", 37.49685, 126.954351, fixture.Camera.Url("b"));
        var (leaseId, playlistUrl, segment, board) = await WatchAsync(camera, "maintenance-viewer");
        await using (board)
        {
            using (var patch = await Node.SendAsync(HttpMethod.Patch, $"/api/v1/cameras/{camera}", admin, JsonContent.Create(new { status = "maintenance" })))
                Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());

            await AssertRefusedWithinBoundAsync(segment, "camera-maintenance", "the camera going into maintenance");
            await AssertRefusedAsync(playlistUrl, "camera-maintenance");
            await board.WaitForAsync("leaseRevoked", e => e.GetProperty("leaseId").GetString() == leaseId && e.GetProperty("reason").GetString() == "camera-maintenance");
        }
    }

    /// <summary>A 112 operator with standing access watching the camera, and the agency's dashboard listening.</summary>
    private async Task<(string LeaseId, string PlaylistUrl, string Segment, Dashboard Board)> WatchAsync(string camera, string viewerName)
    {
        var (_, viewer) = await Node.SessionAsync("seoul-112", viewerName);
        var board = await Dashboard.ConnectAsync(Node, viewer);
        await board.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");
        var lease = await VideoRequests.LeaseAsync(Node, viewer, camera);
        var playlistUrl = lease.GetProperty("playlistUrl").GetString()!;
        var segment = VideoRequests.LatestSegment(playlistUrl, await VideoRequests.PlaylistAsync(Node, playlistUrl));
        using (var served = await Node.Http.GetAsync(segment))
            Assert.Equal(200, (int)served.StatusCode);
        return (lease.GetProperty("leaseId").GetString()!, playlistUrl, segment, board);
    }

    /// <summary>Requests the segment as a player would until it is refused; the deadline is the bound, measured from the change's answer.</summary>
    private async Task AssertRefusedWithinBoundAsync(string segment, string reason, string change)
    {
        var sinceChange = Stopwatch.StartNew();
        var (status, refusedReason) = await Eventually.WaitAsync(() => StatusAndReasonAsync(segment), r => r.Status == 403, Bound,
            $"the next segment request after {change} to be refused");
        output.WriteLine($"After {change}, a segment request was refused {sinceChange.Elapsed.TotalMilliseconds:F0} ms later (bound {Bound.TotalMilliseconds:F0} ms)");
        Assert.Equal((403, reason), (status, refusedReason));
    }

    private async Task AssertRefusedAsync(string url, string reason) => Assert.Equal((403, reason), await StatusAndReasonAsync(url));

    private async Task<(int Status, string? Reason)> StatusAndReasonAsync(string url)
    {
        using var response = await Node.Http.GetAsync(url);
        if ((int)response.StatusCode != 403) return ((int)response.StatusCode, null);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (403, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }
}
