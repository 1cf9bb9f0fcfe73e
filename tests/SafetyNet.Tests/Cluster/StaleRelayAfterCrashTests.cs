using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Grains.Media;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// No relay outlives its node by more than 2 s, even after kill -9: every ffmpeg runs under a parent-death signal. (The start-up
/// sweep of tagged orphans stays as a second line; Media/StaleRelaySweepTests covers it.)
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class StaleRelayAfterCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact, Trait("Category", "Slow")]
    public async Task Every_ffmpeg_of_a_node_killed_with_sigkill_ends_within_two_seconds()
    {
        var nodeTag = $"crash-{Guid.NewGuid():N}"[..16];
        await using var node = new NodeProcess(1, "unused", new string('k', 40), new Dictionary<string, string>
        {
            ["Cluster__Provider"] = "Embedded",
            ["Demo__Cameras"] = "500",
            ["Media__NodeTag"] = nodeTag,
            ["Auth__DevelopmentTokens"] = "true",
        });
        node.Start();
        await node.WaitReadyAsync(1);
        var cameras = await LeaseCamerasAsync(node, count: 2);
        var relays = await Eventually.WaitAsync(() => Task.FromResult(TaggedProcesses.FindForNode(nodeTag)), found => found.Count >= cameras.Count,
            TimeSpan.FromSeconds(30), "a relay per leased camera");

        var killed = Stopwatch.StartNew();
        node.Kill();
        await Eventually.WaitAsync(() => Task.FromResult(TaggedProcesses.FindForNode(nodeTag)), alive => alive.Count == 0, Bound,
            $"every ffmpeg of the killed node (pids {string.Join(", ", relays)}) to end");
        output.WriteLine($"{relays.Count} ffmpeg process(es) of the killed node were gone {killed.Elapsed.TotalMilliseconds:F0} ms after SIGKILL (bound {Bound.TotalSeconds} s)");
    }

    private static async Task<IReadOnlyList<string>> LeaseCamerasAsync(NodeProcess node, int count)
    {
        var (_, session) = await node.Http.SessionAsync("seoul-112", "crash-viewer");
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session);
        var nearby = await node.Http.GetFromJsonAsync<JsonElement>(
            $"/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=5000&limit={count}&purpose=crime-prevention&status=online");
        var cameras = nearby.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.Equal(count, cameras.Count);
        foreach (var camera in cameras)
        {
            using var lease = await node.Http.PostAsJsonAsync($"/api/v1/cameras/{camera}/leases", new { purpose = "monitoring" });
            Assert.Equal(201, (int)lease.StatusCode);
        }
        return cameras;
    }
}
