using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// Two node processes on PostgreSQL: node 2 starts no new encode above 5 % of its CPUs, which this test keeps busier than
/// that, and node 1 has no limit. A 112 operator opens cameras; each demo camera must be encoded. One whose grain Orleans
/// placed on node 2 is refused for now, moves to node 1, and the operator's retry plays it there. (Orleans places most new
/// grains away from node 1, which seeded the demo city and so holds more memory.)
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class EncodeMoveClusterTests(ITestOutputHelper output)
{
    private const int Candidates = 20;

    [Fact]
    public async Task A_camera_the_busy_node_cannot_encode_moves_to_the_node_with_room_and_the_operators_retry_plays_there()
    {
        await using var cluster = await LocalCluster.StartAsync(2, nodeSettings: index => index == 2
            ? new Dictionary<string, string> { ["Media__NewEncodeCpuLimit"] = "0.05" }
            : null);
        var (roomy, busy) = (cluster.Nodes[0], cluster.Nodes[1]);
        using var burning = new CancellationTokenSource();
        var burner = Task.Factory.StartNew(() => { while (!burning.IsCancellationRequested) { } }, TaskCreationOptions.LongRunning);
        try
        {
            await Eventually.WaitAsync(() => CpuBusyAsync(busy), share => share > 0.05, TimeSpan.FromSeconds(30), "node 2 to read its CPUs as busier than its limit");
            var (_, token) = await busy.Http.SessionAsync("seoul-112", "move-viewer");
            busy.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var nearby = await busy.Http.GetFromJsonAsync<JsonElement>(
                $"/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=8000&limit={Candidates}&purpose=crime-prevention&status=online");
            var cameras = nearby.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();

            foreach (var camera in cameras)
            {
                var (status, first) = await LeaseAsync(busy, camera);
                // Placed on node 1 already: it plays there; try the next.
                if (status == 201)
                {
                    output.WriteLine($"camera {camera}: leased at once, its playlist at {first.GetProperty("playlistUrl").GetString()}");
                    continue;
                }
                Assert.Equal((503, "node-busy-encoding"), (status, first.GetProperty("reason").GetString()));

                var (_, lease) = await Eventually.WaitAsync(() => LeaseAsync(busy, camera), answer => answer.Status == 201, TimeSpan.FromSeconds(30),
                    $"camera {camera} to move to node 1 and play there");
                var playlistUrl = lease.GetProperty("playlistUrl").GetString()!;
                output.WriteLine($"camera {camera}: refused on node 2, then leased with its playlist at {playlistUrl}");
                Assert.StartsWith(roomy.BaseUrl, playlistUrl);
                await Eventually.WaitAsync(async () => await roomy.Http.GetStringAsync(playlistUrl), text => text.Contains(".ts"), TimeSpan.FromSeconds(30),
                    "the playlist on node 1 to list a segment");
                Assert.Contains($"Camera {camera} must be encoded and this node is too busy: moving it to silo", busy.Log);
                return;
            }
            Assert.Fail($"None of {cameras.Count} cameras was placed on node 2, so no move was tried.");
        }
        finally
        {
            await burning.CancelAsync();
            await burner;
        }
    }

    private static async Task<(int Status, JsonElement Body)> LeaseAsync(NodeProcess node, string camera)
    {
        using var response = await node.Http.PostAsJsonAsync($"/api/v1/cameras/{camera}/leases", new { purpose = "monitoring" });
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<double> CpuBusyAsync(NodeProcess node)
    {
        var metrics = await node.Http.GetStringAsync("/metrics");
        return CpuBusyLine().Match(metrics) is { Success: true } line ? double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"(?m)^safetynet_node_cpu_busy(?:\{[^}]*\})? ([0-9.eE+-]+)$")]
    private static partial Regex CpuBusyLine();
}
