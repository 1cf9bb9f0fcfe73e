using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

/// <summary>
/// A camera that sends H.265, as many newer CCTV cameras do: Chromium's Media Source Extensions play no H.265 here, so a
/// copying relay would give its viewers nothing ("codec-unsupported"). The relay finds the codec in its first init segment
/// and starts over encoding H.264, for its live path and its recording alike; an H.264 camera stays a copy.
/// </summary>
[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RelayCodecTests
{
    [Fact]
    public async Task A_camera_sending_H265_is_relayed_as_H264_and_one_sending_H264_is_copied()
    {
        await using var camera = await RtspTestCamera.StartAsync(["hevc", "avc", "hevc-masked"], h265Paths: ["hevc", "hevc-masked"]);
        await using var media = await RelayHostHarness.StartAsync();

        await media.StartAndWaitAsync("cam-hevc", camera.Url("hevc"));
        var codec = await Eventually.WaitAsync(() => LiveCodecAsync(media, "cam-hevc"), c => c?.StartsWith("avc1.", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(30), "the H.265 camera's live path in H.264");
        Assert.StartsWith("avc1.", codec);
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-hevc", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        var recorded = await Eventually.WaitAsync(() => Task.FromResult(media.Host.ReadPlaylist("cam-hevc", MediaRendition.Original, window: true)),
            p => p is { Segments.Count: > 0 }, TimeSpan.FromSeconds(15), "the encoding relay's first segment");
        var segment = media.Host.ResolveFile("cam-hevc", recorded!.Segments[0].Name, MediaRendition.Original, window: true)!;
        Assert.Equal("h264", await media.ProbeCodecsAsync(segment));
        // Starting over to encode is not a failure of the camera.
        Assert.Equal(new StreamStatus("cam-hevc", StreamState.Ready, 0, null, 1), media.Host.StatusOf("cam-hevc"));
        Assert.Equal([("cam-hevc", true)], media.Events.For("cam-hevc"));
        Assert.Equal(1, media.Host.EncodingStreams);

        await media.StartAndWaitAsync("cam-avc", camera.Url("avc"));
        Assert.StartsWith("avc1.", await LiveCodecAsync(media, "cam-avc"));
        Assert.Equal(1, media.Host.EncodingStreams);

        // A masked H.265 camera (a district's privacy mask): its masked rendition is encoded anyway, and its original, which
        // viewers with the unmask right get, is encoded too once found.
        var mask = RelayMask.For([new MaskPolygon([new MaskPoint(0.1, 0.1), new MaskPoint(0.4, 0.1), new MaskPoint(0.4, 0.4)])], "#000000");
        media.Host.Acquire("cam-hevc-masked", camera.Url("hevc-masked"), mask, StreamConsumer.Viewer("masked-viewer"));
        foreach (var rendition in (MediaRendition[])[MediaRendition.Original, MediaRendition.Masked])
            await Eventually.WaitAsync(() => LiveCodecAsync(media, "cam-hevc-masked", rendition), c => c?.StartsWith("avc1.", StringComparison.Ordinal) == true,
                TimeSpan.FromSeconds(30), $"the masked H.265 camera's {rendition} rendition in H.264");
        Assert.Equal(2, media.Host.EncodingStreams);
    }

    /// <summary>The codec of the live path's init segment, as a new viewer gets it; null while the relay is between runs.</summary>
    private static async Task<string?> LiveCodecAsync(RelayHostHarness media, string cameraId, MediaRendition rendition = MediaRendition.Original)
    {
        using var view = media.Host.WatchLive(cameraId, rendition);
        if (view is null) return null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await view.ReadAsync(timeout.Token) is { IsInit: true } init ? init.Codec : null;
    }
}
