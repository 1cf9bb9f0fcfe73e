using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Video;

/// <summary>A camera that drops is marked offline and dashboards hear it; when it returns, it is online again.</summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class CameraOutageTests(VideoNodeFixture fixture)
{
    [Fact]
    public async Task Stopping_the_camera_brings_cameraStatusChanged_offline_and_restarting_it_brings_it_back()
    {
        var node = fixture.Node;
        var camera = await RtspTestCamera.StartAsync(["outage"]);
        var port = camera.Port;
        try
        {
            var id = $"outage-{Guid.NewGuid():N}"[..20];
            var admin = await node.TokenAsync("safetynet-ops", "root", "platform-admin");
            using (var import = await node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", admin,
                       new StringContent($"id,lat,lon,purpose,stream_url\n{id},37.5145,127.1059,crime-prevention,{camera.Url("outage")}\n", Encoding.UTF8, "text/csv")))
                Assert.Equal(1, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());

            var watcher = await node.TokenAsync("seoul-112", "district-watch", "operator");
            await using var board = await Dashboard.ConnectAsync(node, watcher);
            await board.Connection.InvokeAsync<JsonElement>("SubscribeDistrict", "11240");

            var (_, viewer) = await node.SessionAsync("seoul-112", "outage-viewer");
            using (var lease = await node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{id}/leases", viewer, JsonContent.Create(new { purpose = "monitoring" })))
                Assert.Equal(201, (int)lease.StatusCode);

            await camera.StopAsync();
            var (_, offline) = await board.WaitForAsync("cameraStatusChanged", p => p.GetProperty("cameraId").GetString() == id && p.GetProperty("status").GetString() == "offline",
                TimeSpan.FromSeconds(45));
            using (var access = await node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{id}/access", viewer))
                Assert.Equal("camera-offline", (await access.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

            await camera.DisposeAsync();
            camera = await RtspTestCamera.StartAsync(["outage"], port);
            var (_, online) = await board.WaitForAsync("cameraStatusChanged", p => p.GetProperty("cameraId").GetString() == id && p.GetProperty("status").GetString() == "online",
                TimeSpan.FromSeconds(60));
            // Both numbered in Songpa-gu's status stream, one after the other: a dashboard can tell when it missed a change.
            var (first, second) = (offline.GetProperty("sequence"), online.GetProperty("sequence"));
            Assert.Equal(["district:11240", "district:11240"], new[] { first.GetProperty("stream").GetString()!, second.GetProperty("stream").GetString()! });
            Assert.Equal(first.GetProperty("epoch").GetString(), second.GetProperty("epoch").GetString());
            Assert.True(second.GetProperty("number").GetInt64() > first.GetProperty("number").GetInt64());
        }
        finally
        {
            await camera.DisposeAsync();
        }
    }
}
