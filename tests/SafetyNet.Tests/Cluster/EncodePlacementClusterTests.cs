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
/// that, and node 1 has no limit. A 112 operator signed in on node 2 opens cameras nobody has opened yet; each demo camera
/// must be encoded. Orleans alone would place most of them on node 2 (node 1 seeded the demo city and so holds more
/// memory), where they would be refused until they moved. Placed among the nodes with room, each plays at once, from node 1.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class EncodePlacementClusterTests(ITestOutputHelper output)
{
    private const int Cameras = 6;

    [Fact]
    public async Task Cameras_nobody_has_opened_are_placed_on_the_node_with_room_to_encode_and_play_there_at_the_first_request()
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
            await Eventually.WaitAsync(() => PlacementSilosAsync(busy), silos => silos == (1, 1), TimeSpan.FromSeconds(30),
                "node 2's placement to know that one silo has room for an encode and one has not");
            var (_, token) = await busy.Http.SessionAsync("seoul-112", "placed-viewer");
            busy.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var nearby = await busy.Http.GetFromJsonAsync<JsonElement>(
                $"/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=8000&limit={Cameras}&purpose=crime-prevention&status=online");
            var cameras = nearby.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
            Assert.Equal(Cameras, cameras.Count);

            var playlists = new List<string>();
            foreach (var camera in cameras)
            {
                var (status, lease) = await LeaseAsync(busy, camera);
                Assert.True(status == 201, $"camera {camera}: {status} {lease}");
                var playlistUrl = lease.GetProperty("playlistUrl").GetString()!;
                output.WriteLine($"camera {camera}: leased at the first request, its playlist at {playlistUrl}");
                Assert.StartsWith(roomy.BaseUrl, playlistUrl);
                playlists.Add(playlistUrl);
            }
            await Eventually.WaitAsync(async () => await roomy.Http.GetStringAsync(playlists[0]), text => text.Contains(".ts"), TimeSpan.FromSeconds(30),
                "the playlist on node 1 to list a segment");
            Assert.DoesNotContain("must be encoded and this node is too busy", busy.Log);
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

    /// <summary>How many silos the node's camera placement knows with room for an encode, and without; (0, 0) before it knows.</summary>
    private static async Task<(int WithRoom, int WithoutRoom)> PlacementSilosAsync(NodeProcess node)
    {
        var metrics = await node.Http.GetStringAsync("/metrics");
        int Count(string room) => PlacementSilosLine().Matches(metrics).FirstOrDefault(m => m.Groups[1].Value == room) is { } line
            ? int.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return (Count("yes"), Count("no"));
    }

    [GeneratedRegex(@"(?m)^safetynet_node_cpu_busy(?:\{[^}]*\})? ([0-9.eE+-]+)$")]
    private static partial Regex CpuBusyLine();

    [GeneratedRegex(@"(?m)^safetynet_media_placement_silos\{[^}]*room=""(yes|no)""[^}]*\} ([0-9]+)$")]
    private static partial Regex PlacementSilosLine();
}
