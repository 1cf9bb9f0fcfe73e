using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Contracts.Districts;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Video;

/// <summary>
/// A 112 operator opens a masked camera while the node relaying it is busy: masking means encoding, which the node starts only
/// while its CPUs have room (Media:NewEncodeCpuLimit). The operator is told why and when to try again, a plain camera still
/// opens, and the masked one opens once the load falls. Real HTTP, real ffmpeg, a real RTSP camera; the node's load is set.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class EncodeLoadTests(VideoNodeFixture fixture)
{
    private static readonly object Mask = new
    {
        polygons = new[] { new { points = new[] { new { x = 0.1, y = 0.1 }, new { x = 0.4, y = 0.1 }, new { x = 0.4, y = 0.4 } } } },
    };

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task An_operator_opening_a_masked_camera_on_a_busy_node_is_told_to_retry_and_sees_it_once_the_load_falls()
    {
        var platform = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        // A district no other video test streams from, so that its uplink (2 streams here) is free.
        var masked = await VideoRequests.RegisterCameraAsync(Node, platform, "busy-masked", "11010", 37.5735, 126.9790, fixture.Camera.Url("e"));
        var plain = await VideoRequests.RegisterCameraAsync(Node, platform, "busy-plain", "11030", 37.5302, 126.9802, fixture.Camera.Url("d"));
        var districtAdmin = await Node.TokenAsync("control-jongno", "admin", "district-admin");
        using (var put = await Node.SendAsync(HttpMethod.Put, $"/api/v1/cameras/{masked}/masks", districtAdmin, JsonContent.Create(Mask)))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var (_, police) = await Node.SessionAsync("seoul-112", "busy-operator");
        // A stream an earlier test left lingering would give way to this camera's encode (the next test walks that).
        await fixture.NothingLingeringAsync();

        fixture.CpuLoad.RecentShare = 0.97;
        try
        {
            using (var refused = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{masked}/leases", police, JsonContent.Create(new { purpose = "monitoring" })))
            {
                var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("node-busy-encoding", problem.GetProperty("reason").GetString());
                var detail = await ProblemAssert.IsProblemAsync(refused, 503);
                Assert.Contains("Media:NewEncodeCpuLimit", detail);
                Assert.Contains(masked, detail);
                Assert.NotNull(refused.Headers.RetryAfter);
            }
            Assert.Empty(fixture.RelayProcesses(masked));
            // The refused stream's claim on its district's uplink (2 streams here) went back with the refusal.
            var district = Node.Grains.GetGrain<IDistrictGrain>("11010");
            Assert.True(await district.TryAcquireUpstreamAsync("probe-1", 2) && await district.TryAcquireUpstreamAsync("probe-2", 2),
                "the district's uplink should have both slots free");
            await district.ReleaseUpstreamAsync("probe-1");
            await district.ReleaseUpstreamAsync("probe-2");

            var plainLease = await VideoRequests.LeaseAsync(Node, police, plain);
            Assert.Contains(".ts", await VideoRequests.PlaylistAsync(Node, plainLease.GetProperty("playlistUrl").GetString()!));
            using (await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{plainLease.GetProperty("leaseId").GetString()}", police)) { }

            fixture.CpuLoad.RecentShare = 0.30;
            var maskedLease = await VideoRequests.LeaseAsync(Node, police, masked);
            Assert.Contains("masked-seg-", await VideoRequests.PlaylistAsync(Node, maskedLease.GetProperty("playlistUrl").GetString()!));
            using (await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{maskedLease.GetProperty("leaseId").GetString()}", police)) { }
        }
        finally
        {
            fixture.CpuLoad.RecentShare = null;
        }
    }

    [Fact]
    public async Task On_a_busy_node_an_incident_operator_gets_the_encode_a_standing_viewer_held_and_the_standing_viewer_is_told_why()
    {
        var platform = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        // Districts no other video test streams from, so that their uplinks (2 streams here) are free.
        var routine = await VideoRequests.RegisterCameraAsync(Node, platform, "yield-routine", "11080", 37.60303, 127.020072, fixture.Camera.Url("a"));
        var seodaemunAdmin = await Node.TokenAsync("control-seodaemun", "yield-admin", "district-admin");
        var atIncident = await VideoRequests.RegisterCameraAsync(Node, seodaemunAdmin, "yield-incident", "11130", 37.574646, 126.94112, fixture.Camera.Url("b"), purpose: "traffic");
        var seongbukAdmin = await Node.TokenAsync("control-seongbuk", "yield-admin", "district-admin");
        foreach (var (camera, admin) in new[] { (routine, seongbukAdmin), (atIncident, seodaemunAdmin) })
            using (var put = await Node.SendAsync(HttpMethod.Put, $"/api/v1/cameras/{camera}/masks", admin, JsonContent.Create(Mask)))
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        // A 112 operator watches a routine camera under standing access; the agency's dashboard listens.
        var (_, watcher) = await Node.SessionAsync("seoul-112", "yield-standing");
        await using var board = await Dashboard.ConnectAsync(Node, watcher);
        await board.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");
        var standing = await VideoRequests.LeaseAsync(Node, watcher, routine);
        var standingLease = standing.GetProperty("leaseId").GetString()!;
        Assert.Contains("masked-seg-", await VideoRequests.PlaylistAsync(Node, standing.GetProperty("playlistUrl").GetString()!));

        // An encode nobody watches would give way first: let those the tests before left lingering end.
        var relays = Node.App.Services.GetRequiredService<RelayHost>();
        await Eventually.WaitAsync(() => Task.FromResult(relays.Streams.Count(s => s.State == StreamState.Lingering)), lingering => lingering == 0,
            TimeSpan.FromSeconds(30), "the streams earlier tests left lingering to stop");
        fixture.CpuLoad.RecentShare = 0.97;
        try
        {
            // A 112 call comes in at the traffic camera; an operator opens it under the incident's grant, and it plays masked.
            var incident = await VideoRequests.OpenIncidentAsync(Node, 37.574646, 126.94112);
            var (_, responder) = await Node.SessionAsync("seoul-112", "yield-incident");
            var urgent = await VideoRequests.LeaseAsync(Node, responder, atIncident, new { purpose = "emergency-response", incidentId = incident });
            Assert.Equal("incident-grant", urgent.GetProperty("reason").GetString());
            Assert.Contains("masked-seg-", await VideoRequests.PlaylistAsync(Node, urgent.GetProperty("playlistUrl").GetString()!));

            // The standing viewer's lease ended with the reason, told to the dashboard, the player and a renewal alike.
            await board.WaitForAsync("leaseRevoked", e => e.GetProperty("leaseId").GetString() == standingLease && e.GetProperty("reason").GetString() == "encode-yielded");
            using (var playlist = await Node.Http.GetAsync(standing.GetProperty("playlistUrl").GetString()))
            {
                Assert.Equal(403, (int)playlist.StatusCode);
                Assert.Equal("encode-yielded", (await playlist.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
            }
            using (var renewal = await Node.SendAsync(HttpMethod.Post, $"/api/v1/leases/{standingLease}/renew", watcher, JsonContent.Create(new { })))
                Assert.True((int)renewal.StatusCode is 404 or 409, await renewal.Content.ReadAsStringAsync());

            // The auditor finds who gave way, and to which camera.
            var auditor = await Node.TokenAsync("seoul-audit", "yield-auditor", "auditor");
            var rows = await Eventually.WaitAsync(async () =>
            {
                using var ledger = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?camera={routine}&pageSize=100", auditor);
                return (await ledger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("entry")).ToArray();
            }, entries => entries.Any(e => e.GetProperty("kind").GetString() == "preemption"), TimeSpan.FromSeconds(10), "the preemption in the ledger");
            var preemption = rows.Single(e => e.GetProperty("kind").GetString() == "preemption");
            Assert.Equal("encode-yielded", preemption.GetProperty("reason").GetString());
            Assert.Contains(atIncident, preemption.GetProperty("details").GetString());
            Assert.Contains(rows, e => e.GetProperty("kind").GetString() == "revocation" && e.GetProperty("reason").GetString() == "encode-yielded");
            using (await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{urgent.GetProperty("leaseId").GetString()}", responder)) { }
        }
        finally
        {
            fixture.CpuLoad.RecentShare = null;
        }
    }
}
