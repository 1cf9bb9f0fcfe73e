using System.ComponentModel.DataAnnotations;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;

namespace SafetyNet.Tests.Media;

/// <summary>Issue 11: the camera id, capture time and viewer are burnt into a snapshot with real ffmpeg drawtext.</summary>
[Collection(MediaCollection.Name)]
public sealed class SnapshotStampTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task The_caption_is_burnt_into_the_top_left_corner_and_leaves_the_rest_of_the_picture_alone()
    {
        await using var media = await RelayHostHarness.StartAsync();
        var frame = await media.Host.SnapshotAsync("cam-stamp", RelayHostHarness.Lavfi, CancellationToken.None);
        var at = new DateTimeOffset(2026, 5, 1, 5, 3, 22, 125, TimeSpan.Zero);

        var stamped = await media.Host.StampAsync("cam-stamp", frame, CameraSnapshot.Caption("11020-00001", at, "seoul-112/kim"), mask: null, CancellationToken.None);
        var otherCamera = await media.Host.StampAsync("cam-stamp", frame, CameraSnapshot.Caption("11020-00002", at, "seoul-112/kim"), mask: null, CancellationToken.None);
        var otherTime = await media.Host.StampAsync("cam-stamp", frame, CameraSnapshot.Caption("11020-00001", at.AddSeconds(1), "seoul-112/kim"), mask: null, CancellationToken.None);

        RelayHostHarness.AssertJpeg(stamped);
        var (plain, caption) = (await JpegPixels.DecodeAsync(frame), await JpegPixels.DecodeAsync(stamped));
        // The caption box: three lines of h/18 text from (8, 8); 640x360 gives 20-pixel text, so the box spans about 80 x 300.
        var inBox = caption.MeanDifference(plain, 8, 8, 200, 60);
        var belowBox = caption.MeanDifference(plain, 0, 200, plain.Width, 160);
        Assert.True(inBox > 20, $"the caption region barely changed (mean difference {inBox:F1})");
        Assert.True(belowBox < 3, $"the picture below the caption changed (mean difference {belowBox:F1})");
        Assert.True(caption.MeanDifference(await JpegPixels.DecodeAsync(otherCamera), 8, 8, 300, 80) > 0.05, "another camera id drew the same caption");
        Assert.True(caption.MeanDifference(await JpegPixels.DecodeAsync(otherTime), 8, 8, 300, 80) > 0.05, "another capture time drew the same caption");
        Assert.NotEqual(stamped, otherCamera);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(media.Options.WorkingDirectory, "~snapshots")));
    }

    [Fact]
    public void The_capture_time_is_written_in_Seoul_time_to_the_millisecond()
    {
        var at = new DateTimeOffset(2026, 12, 31, 15, 30, 0, 5, TimeSpan.Zero);
        Assert.Equal("2027-01-01T00:30:00.005+09:00", CameraSnapshot.SeoulTime(at));
        Assert.Equal(["CAM 11020-00001", "2027-01-01T00:30:00.005+09:00", "VIEWER seoul-112/kim"], CameraSnapshot.Caption("11020-00001", at, "seoul-112/kim"));
    }

    [Theory]
    [InlineData("/nonexistent/font.ttf", "no font at")]
    [InlineData("/usr/share/fonts/it's.ttf", "must not contain quotes")]
    public void A_missing_or_unquotable_font_stops_the_node_with_a_message_naming_the_key(string path, string expected)
    {
        var options = new MediaOptions { WorkingDirectory = Path.GetTempPath(), SnapshotFontPath = path };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        var message = Assert.Single(results).ErrorMessage!;
        Assert.Contains("Media:SnapshotFontPath", message);
        Assert.Contains(expected, message);
    }
}
