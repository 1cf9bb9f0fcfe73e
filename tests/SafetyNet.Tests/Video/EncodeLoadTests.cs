using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Contracts.Districts;
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
        var masked = await VideoRequests.RegisterCameraAsync(Node, platform, "busy-masked", "11020", 37.5642, 126.9972, fixture.Camera.Url("e"));
        var plain = await VideoRequests.RegisterCameraAsync(Node, platform, "busy-plain", "11030", 37.5302, 126.9802, fixture.Camera.Url("d"));
        var districtAdmin = await Node.TokenAsync("control-jung", "admin", "district-admin");
        using (var put = await Node.SendAsync(HttpMethod.Put, $"/api/v1/cameras/{masked}/masks", districtAdmin, JsonContent.Create(Mask)))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var (_, police) = await Node.SessionAsync("seoul-112", "busy-operator");

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
            var district = Node.Grains.GetGrain<IDistrictGrain>("11020");
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
}
