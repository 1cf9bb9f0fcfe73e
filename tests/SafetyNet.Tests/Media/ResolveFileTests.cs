using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;

namespace SafetyNet.Tests.Media;

[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ResolveFileTests(TestCameraFixture cameras)
{
    [Fact]
    public async Task Names_outside_the_cameras_own_files_are_refused()
    {
        await using var media = await RelayHostHarness.StartAsync();
        await media.StartAndWaitAsync("cam-resolve", cameras.Camera.Url("resolve"));
        Assert.NotNull(media.Host.ResolveFile("cam-resolve", CameraFiles.Playlist, MediaRendition.Original));

        string[] hostile = ["../index.m3u8", "..", ".", "../../etc/passwd", "/etc/passwd", "seg-1.ts/../../index.m3u8", "..%2Findex.m3u8",
            "..\\index.m3u8", "index.m3u8.tmp", "", "../cam-resolve/index.m3u8"];
        Assert.All(hostile, fileName => Assert.Null(media.Host.ResolveFile("cam-resolve", fileName, MediaRendition.Original)));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("../cam")]
    [InlineData("~snapshots")]
    public async Task Camera_ids_that_would_leave_the_working_directory_are_refused(string cameraId)
    {
        await using var media = await RelayHostHarness.StartAsync();

        Assert.Null(media.Host.ResolveFile(cameraId, CameraFiles.Playlist, MediaRendition.Original));
        Assert.Throws<ArgumentException>(() => media.Host.Acquire(cameraId, RelayHostHarness.Lavfi, mask: null, StreamConsumer.Viewer("test-viewer")));
    }
}
