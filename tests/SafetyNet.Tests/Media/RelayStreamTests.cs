using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RelayStreamTests(TestCameraFixture cameras)
{
    [Fact]
    public async Task An_rtsp_camera_becomes_a_playlist_of_h264_segments()
    {
        await using var media = await RelayHostHarness.StartAsync();

        var playlist = await media.StartAndWaitAsync("cam-play", cameras.Camera.Url("play"));

        var segments = (await File.ReadAllLinesAsync(playlist)).Where(line => line.EndsWith(".ts", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(segments);
        var segment = media.Host.ResolveFile("cam-play", segments[^1], MediaRendition.Original);
        Assert.NotNull(segment);
        Assert.Equal("h264", await media.ProbeCodecsAsync(segment));
        Assert.Equal("h264", await media.ProbeCodecsAsync(playlist));
    }

    [Fact]
    public async Task A_generated_lavfi_input_is_encoded_into_h264_segments()
    {
        await using var media = await RelayHostHarness.StartAsync();

        var playlist = await media.StartAndWaitAsync("cam-lavfi", RelayHostHarness.Lavfi);

        Assert.Equal("h264", await media.ProbeCodecsAsync(playlist));
        RelayHostHarness.AssertJpeg(await media.Host.SnapshotAsync("cam-lavfi", RelayHostHarness.Lavfi, CancellationToken.None));
    }

    [Fact]
    public async Task Asking_twice_for_one_camera_runs_one_ffmpeg()
    {
        await using var media = await RelayHostHarness.StartAsync();
        var url = cameras.Camera.Url("single");

        await Task.WhenAll(
            Task.Run(() => media.Host.Acquire("cam-single", url, mask: null, StreamConsumer.Viewer("one"))),
            Task.Run(() => media.Host.Acquire("cam-single", url, mask: null, StreamConsumer.Viewer("two"))));
        await media.StartAndWaitAsync("cam-single", url);

        Assert.Single(media.RelayProcesses("cam-single"));
        Assert.Equal(["cam-single"], media.Host.RunningCameras);
    }

    [Fact]
    public async Task A_stopped_relay_leaves_no_process_and_serves_nothing()
    {
        await using var media = await RelayHostHarness.StartAsync();
        await media.StartAndWaitAsync("cam-stop", cameras.Camera.Url("stop"));
        Assert.Single(media.RelayProcesses("cam-stop"));

        await media.Host.StopAsync("cam-stop");

        await Eventually.WaitAsync(() => Task.FromResult(media.RelayProcesses("cam-stop").Count), count => count == 0,
            TimeSpan.FromSeconds(5), "the stopped relay's ffmpeg to be gone");
        Assert.Null(media.Host.ResolveFile("cam-stop", CameraFiles.Playlist, MediaRendition.Original));
        Assert.Empty(media.Host.RunningCameras);
        Assert.False(await media.Host.WaitForPlaylistAsync("cam-stop", TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Shutting_the_host_down_stops_every_relay()
    {
        var media = await RelayHostHarness.StartAsync();
        await using (media)
        {
            await media.StartAndWaitAsync("cam-shutdown", cameras.Camera.Url("shutdown"));
            await media.StartAndWaitAsync("cam-shutdown-lavfi", RelayHostHarness.Lavfi);

            await media.Host.StopAsync(CancellationToken.None);

            Assert.Empty(TaggedProcesses.FindForNode(media.Options.NodeTag));
            Assert.Empty(media.Host.RunningCameras);
            Assert.Throws<ObjectDisposedException>(() => media.Host.Acquire("cam-shutdown", cameras.Camera.Url("shutdown"), mask: null, StreamConsumer.Viewer("late")));
        }
    }
}
