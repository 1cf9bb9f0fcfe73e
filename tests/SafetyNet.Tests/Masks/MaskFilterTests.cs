using System.Diagnostics;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Media;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Masks;

/// <summary>The generated filter graph, run by the real ffmpeg over a generated white frame of another size than the mask picture.</summary>
public sealed class MaskFilterTests
{
    [Fact]
    public void The_graph_scales_the_mask_to_the_frame_and_overlays_it_with_the_mask_repeated_over_later_frames()
    {
        Assert.Equal("[1:v:0]format=rgba[mask_rgba];[mask_rgba][0:v:0]scale2ref[mask_fit][frame];[frame][mask_fit]overlay=format=auto:eof_action=repeat[out]",
            MaskFilter.Graph("0:v:0", "1:v:0", "out"));
    }

    [Fact]
    public async Task Ffmpeg_fills_the_polygon_on_a_frame_of_any_size_and_leaves_the_rest()
    {
        var folder = Directory.CreateTempSubdirectory("safetynet-maskfilter-").FullName;
        try
        {
            var mask = Path.Combine(folder, "mask.pam");
            var output = Path.Combine(folder, "out.jpg");
            await File.WriteAllBytesAsync(mask, MaskImage.Render([new MaskPolygon([new(0.5, 0.5), new(1, 0.5), new(1, 1), new(0.5, 1)])], "#000000"));
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
            foreach (var a in (string[])["-v", "error", "-f", "lavfi", "-i", "color=white:size=400x300", "-i", mask,
                         "-filter_complex", MaskFilter.Graph("0:v:0", "1:v:0", "out"), "-map", "[out]", "-frames:v", "3", "-update", "1", "-y", output])
                start.ArgumentList.Add(a);
            using var ffmpeg = Process.Start(start)!;
            var errors = await ffmpeg.StandardError.ReadToEndAsync();
            await ffmpeg.WaitForExitAsync();
            Assert.True(ffmpeg.ExitCode == 0, errors);

            var frame = await JpegPixels.DecodeAsync(await File.ReadAllBytesAsync(output));
            Assert.Equal((400, 300), (frame.Width, frame.Height));
            Assert.True(frame.Grey[250 * 400 + 300] < 20, "inside the mask, the third frame should be filled");
            Assert.True(frame.Grey[100 * 400 + 100] > 235, "outside the mask, the frame should be as it was");
            Assert.True(frame.Grey[250 * 400 + 100] > 235 && frame.Grey[100 * 400 + 300] > 235, "the mask should cover only its own quarter");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
