using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RelayOutageTests
{
    [Fact]
    public async Task A_dropped_camera_is_reported_offline_and_online_again_when_it_returns()
    {
        var camera = await RtspTestCamera.StartAsync(["outage"]);
        var port = camera.Port;
        await using var media = await RelayHostHarness.StartAsync(options => options.FailuresBeforeOffline = 3);
        try
        {
            await media.StartAndWaitAsync("cam-outage", camera.Url("outage"));

            await camera.DisposeAsync();
            await Eventually.WaitAsync(() => Task.FromResult(media.Events.For("cam-outage")), events => events.Contains(("cam-outage", false)),
                TimeSpan.FromSeconds(15), "the offline event");
            Assert.Contains("cam-outage", media.Host.RunningCameras);

            camera = await RtspTestCamera.StartAsync(["outage"], port);
            await Eventually.WaitAsync(() => Task.FromResult(media.Events.For("cam-outage")), events => events[^1] == ("cam-outage", true),
                TimeSpan.FromSeconds(15), "the online event after the camera came back");
            Assert.True(await media.Host.WaitForPlaylistAsync("cam-outage", TimeSpan.Zero, CancellationToken.None));
        }
        finally
        {
            await camera.DisposeAsync();
        }
    }
}
