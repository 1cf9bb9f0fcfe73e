namespace SafetyNet.Tests.Media;

/// <summary>The test camera's clock pattern and its PTZ crop, read from frames a real RTSP client decoded.</summary>
[Trait("Category", "Slow")]
public sealed class ClockPatternTests
{
    [Fact]
    public async Task A_grabbed_frame_reads_the_wall_clock_time_it_was_drawn_and_a_later_grab_reads_a_later_time()
    {
        await using var camera = await RtspTestCamera.StartAsync(["clock"]);

        var (first, firstGrab) = await GrabTimedAsync(camera.Url("clock"));
        var (second, secondGrab) = await GrabTimedAsync(camera.Url("clock"));

        // Drawn while ffmpeg connected and waited for the next keyframe (at most 1 s), give or take a frame.
        var firstTime = Assert.NotNull(ClockPattern.Read(first));
        var secondTime = Assert.NotNull(ClockPattern.Read(second));
        Assert.InRange(firstTime, firstGrab.Start - TimeSpan.FromSeconds(2), firstGrab.End);
        Assert.InRange(secondTime, secondGrab.Start - TimeSpan.FromSeconds(2), secondGrab.End);
        Assert.True(secondTime > firstTime, $"{secondTime:O} after {firstTime:O}");
    }

    [Fact]
    public async Task A_frame_with_one_block_flipped_or_with_the_pattern_covered_is_unreadable_not_misread()
    {
        await using var camera = await RtspTestCamera.StartAsync(["clock"]);
        var frame = await JpegPixels.GrabAsync(camera.Url("clock"));
        Assert.NotNull(ClockPattern.Read(frame));

        foreach (var block in new[] { 2, 20, 47, 55 })
            Assert.Null(ClockPattern.Read(Repainted(frame, block, flip: true)));
        Assert.Null(ClockPattern.Read(Repainted(frame, block: null, flip: false)));
    }

    [Fact]
    public async Task The_picture_is_a_crop_of_the_scene_that_follows_pan_and_tilt_while_the_pattern_stays_readable()
    {
        await using var straight = await RtspTestCamera.StartAsync(["ahead"]);
        await using var corner = await RtspTestCamera.StartAsync(["turned"], view: (1, 1)); // looking at the scene's top-right corner
        var ahead = await JpegPixels.GrabAsync(straight.Url("ahead"));
        var aheadAgain = await JpegPixels.GrabAsync(straight.Url("ahead"));
        var turned = await JpegPixels.GrabAsync(corner.Url("turned"));

        // The scene between the clock band on top and the pattern at the bottom.
        var (top, height) = (40, ahead.Height - 80);
        var still = ahead.MeanDifference(aheadAgain, 0, top, ahead.Width, height);
        var moved = ahead.MeanDifference(turned, 0, top, ahead.Width, height);
        Assert.True(still < 3, $"the same view differs by {still:F1} grey levels");
        Assert.True(moved > 15, $"the turned view differs by only {moved:F1} grey levels");
        Assert.NotNull(ClockPattern.Read(turned));
    }

    private static async Task<(JpegPixels Frame, (DateTimeOffset Start, DateTimeOffset End) Grab)> GrabTimedAsync(string url)
    {
        var start = DateTimeOffset.UtcNow;
        var frame = await JpegPixels.GrabAsync(url);
        return (frame, (start, DateTimeOffset.UtcNow));
    }

    /// <summary>A copy with the bottom band's <paramref name="block"/> inverted (flip), or the whole band painted mid-grey.</summary>
    private static JpegPixels Repainted(JpegPixels frame, int? block, bool flip)
    {
        var grey = (byte[])frame.Grey.Clone();
        var blockWidth = frame.Width / 64.0;
        var (left, right) = block is { } b ? ((int)(b * blockWidth), (int)((b + 1) * blockWidth)) : (0, frame.Width);
        for (var y = frame.Height - (int)(2 * blockWidth); y < frame.Height; y++)
        for (var x = left; x < right; x++)
            grey[y * frame.Width + x] = flip ? (byte)(255 - grey[y * frame.Width + x]) : (byte)128;
        return frame with { Grey = grey };
    }
}
