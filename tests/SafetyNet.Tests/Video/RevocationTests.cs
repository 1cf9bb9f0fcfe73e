using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Orleans.Core.Internal;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Incidents;
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

    [Fact, Trait("Category", "Slow")]
    public async Task A_renewal_that_reaches_a_lease_whose_incident_grant_has_just_ended_is_told_the_grant_ended()
    {
        // A traffic camera the 112 center may watch only under an incident, watched under a 112 call's grant.
        var admin = await Node.TokenAsync("control-mapo", "grant-admin", "district-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "grant-end", "11140", 37.55561, 126.91207, fixture.Camera.Url("c"), purpose: "traffic");
        var incident = await VideoRequests.OpenIncidentAsync(Node, 37.55561, 126.91207);
        var (_, viewer) = await Node.SessionAsync("seoul-112", "grant-end-viewer");
        var lease = await VideoRequests.LeaseAsync(Node, viewer, camera, new { purpose = "emergency-response", incidentId = incident });
        Assert.Equal("incident-grant", lease.GetProperty("reason").GetString());
        var leaseId = lease.GetProperty("leaseId").GetString()!;

        // The camera is not active when the grant ends, so nothing has swept its lease yet: a renewal is the first to find
        // it, as one that arrives in the second between a grant's end and the camera's sweep does.
        var cameraGrain = Node.Grains.GetGrain<ICameraGrain>(camera);
        await cameraGrain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.WaitAsync(async () => await Node.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(cameraGrain.GetGrainId().Type),
            active => !active.Contains(cameraGrain.GetGrainId()), TimeSpan.FromSeconds(30), "the camera to be deactivated");
        var dispatch = await Node.TokenAsync("seoul-112", "dispatch", "dispatch-system");
        using (var close = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{incident}/close", dispatch, JsonContent.Create(new { reason = "resolved" })))
            Assert.True(close.IsSuccessStatusCode, await close.Content.ReadAsStringAsync());
        await Eventually.WaitAsync(async () => (await Node.Grains.GetGrain<IIncidentGrain>(incident).GetAsync())!.Status, status => status == IncidentStatus.Closed,
            TimeSpan.FromSeconds(30), "the incident's grants to be revoked");

        // Not "incident required": the lease's own end comes first, as the camera's sweep would have recorded it.
        using var renewal = await Node.SendAsync(HttpMethod.Post, $"/api/v1/leases/{leaseId}/renew", viewer, JsonContent.Create(new { }));
        var problem = await renewal.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)renewal.StatusCode == 409, problem.ToString());
        Assert.Contains("grant-ended", problem.GetProperty("detail").GetString());
        // The player that asks its playlist why is told the same, and the lease is gone.
        await AssertRefusedAsync(lease.GetProperty("playlistUrl").GetString()!, "grant-ended");
        using (var again = await Node.SendAsync(HttpMethod.Post, $"/api/v1/leases/{leaseId}/renew", viewer, JsonContent.Create(new { })))
            Assert.Equal(404, (int)again.StatusCode);
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
