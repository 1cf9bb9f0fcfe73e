namespace SafetyNet.Tests.Media;

[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SnapshotTests(TestCameraFixture cameras)
{
    [Fact]
    public async Task A_running_relay_gives_its_latest_frame_as_jpeg()
    {
        await using var media = await RelayHostHarness.StartAsync();
        var url = cameras.Camera.Url("snapshot");
        await media.StartAndWaitAsync("cam-snap", url);

        RelayHostHarness.AssertJpeg(await media.Host.SnapshotAsync("cam-snap", url, CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_relay_a_snapshot_is_a_one_shot_grab_that_leaves_nothing_running()
    {
        await using var media = await RelayHostHarness.StartAsync();

        var image = await media.Host.SnapshotAsync("cam-oneshot", cameras.Camera.Url("snapshot"), CancellationToken.None);

        RelayHostHarness.AssertJpeg(image);
        Assert.Empty(media.Host.RunningCameras);
        Assert.Empty(SafetyNet.Grains.Media.TaggedProcesses.FindForNode(media.Options.NodeTag));
    }

    [Fact]
    public async Task An_unreachable_camera_fails_the_snapshot_within_the_input_timeout()
    {
        await using var media = await RelayHostHarness.StartAsync(options => options.InputTimeout = TimeSpan.FromSeconds(1));
        var closedPort = SafetyNet.Tests.Infrastructure.FreePorts.Next();

        await Assert.ThrowsAsync<SafetyNet.Grains.Media.MediaUnavailableException>(() =>
            media.Host.SnapshotAsync("cam-gone", $"rtsp://127.0.0.1:{closedPort}/nothing", CancellationToken.None));
    }
}
