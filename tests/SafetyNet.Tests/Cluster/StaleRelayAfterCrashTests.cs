using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>kill -9 leaves the node's ffmpeg relays running; the node's next start finds them by tag and ends them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StaleRelayAfterCrashTests
{
    [Fact]
    public async Task The_next_start_sweeps_relays_orphaned_by_a_killed_node()
    {
        await using var node = new NodeProcess(1, "unused", new string('k', 40), new Dictionary<string, string>
        {
            ["Cluster__Provider"] = "Embedded",
            ["Demo__Cameras"] = "500",
        });
        node.Start();
        await node.WaitReadyAsync(1);
        var camera = await StartRelayAsync(node);
        await Eventually.WaitAsync(() => Task.FromResult(RelayProcessScan.For(camera).Count), n => n == 1, TimeSpan.FromSeconds(30), "the relay to start");
        var orphans = RelayProcessScan.For(camera);

        node.Kill();
        await node.WaitExitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(orphans, RelayProcessScan.For(camera));

        node.Start();
        await node.WaitReadyAsync(1);
        await Eventually.WaitAsync(() => Task.FromResult(RelayProcessScan.For(camera).Intersect(orphans).Count()), n => n == 0, TimeSpan.FromSeconds(30),
            "the restarted node to end the relay its crashed run left behind");
    }

    private static async Task<string> StartRelayAsync(NodeProcess node)
    {
        var token = await node.TokenAsync("seoul-112", "crash-viewer", "operator");
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var session = await node.Http.PostAsync("/api/v1/sessions", null);
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var nearby = await node.Http.GetFromJsonAsync<JsonElement>("/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=5000&limit=1&purpose=crime-prevention&status=online");
        var camera = nearby.GetProperty("items")[0].GetProperty("id").GetString()!;
        using var lease = await node.Http.PostAsJsonAsync($"/api/v1/cameras/{camera}/leases", new { purpose = "monitoring" });
        Assert.Equal(201, (int)lease.StatusCode);
        return camera;
    }
}
