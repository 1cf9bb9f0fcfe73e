using System.Globalization;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Video;

/// <summary>
/// An on-call engineer restarts the node while a camera its relay took offline is still dark. The camera's grain, which
/// tried it again by itself, is gone with the node, and nothing asks for an offline camera (viewers are refused it, incident
/// walls pass it over): without a wake at its district's start it would stay offline for good once it came back.
/// </summary>
[Trait("Category", "Slow")]
public sealed class OfflineRecheckAfterRestartTests
{
    private const double Latitude = 37.5648, Longitude = 126.9978;

    [Fact]
    public async Task A_camera_its_relay_took_offline_before_a_restart_is_found_back_online_after_it_with_nobody_asking_for_it()
    {
        await using var camera = await RtspTestCamera.StartAsync(["restart"]);
        var directory = Directory.CreateTempSubdirectory("safetynet-recheck-restart-").FullName;
        var node = await TestNode.StartAsync(cameras: 2000, dataDirectory: directory, extra: Settings(recheck: "01:00:00"));
        string id;
        try
        {
            var admin = await node.TokenAsync("safetynet-ops", "root", "platform-admin");
            id = await VideoRequests.RegisterCameraAsync(node, admin, "restart", "11020", Latitude, Longitude, camera.Url("restart"));
            // Its relay found it dark (the call its status sink makes); not tried again within the hour this node is set to.
            await node.Grains.GetGrain<ICameraGrain>(id).SetStatusAsync(CameraStatus.Offline, CameraStatusSetters.Relay, CameraStatusCauses.Unreachable);
            await Eventually.WaitAsync(() => IndexedStatusAsync(node, admin, id), status => status == "offline", TimeSpan.FromSeconds(10), "the index to hear the camera is offline");
        }
        finally
        {
            await node.DisposeAsync();
        }

        // The camera answers again (it always did here); the node comes back, and nobody asks for the camera.
        node = await TestNode.StartAsync(cameras: 2000, dataDirectory: directory, extra: Settings(recheck: "00:00:02"));
        try
        {
            var admin = await node.TokenAsync("safetynet-ops", "root", "platform-admin");
            await Eventually.WaitAsync(() => IndexedStatusAsync(node, admin, id), status => status == "online", TimeSpan.FromSeconds(60), "the camera to be found back online");
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    private static Dictionary<string, string?> Settings(string recheck) => new()
    {
        ["Media:StreamUrls:AllowLoopback"] = "true",
        ["Leases:PrewarmCount"] = "0",
        ["Media:OfflineRecheck"] = recheck,
        ["Media:OfflineRecheckMax"] = "01:00:00",
    };

    /// <summary>The status the cameras list (the spatial index) gives: reading it does not wake the camera's grain, as GET /cameras/{id} would.</summary>
    private static async Task<string?> IndexedStatusAsync(TestNode node, string token, string id)
    {
        var box = string.Join(',', new[] { Longitude - 0.0005, Latitude - 0.0005, Longitude + 0.0005, Latitude + 0.0005 }.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        var list = await node.GetJsonAsync($"/api/v1/cameras?bbox={box}&pageSize=100", token);
        return list.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("id").GetString() == id)
            .Select(f => f.GetProperty("properties").GetProperty("status").GetString()).SingleOrDefault();
    }
}
