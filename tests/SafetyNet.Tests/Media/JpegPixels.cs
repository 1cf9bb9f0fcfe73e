using System.Diagnostics;

namespace SafetyNet.Tests.Media;

/// <summary>A JPEG decoded by ffmpeg to 8-bit grey pixels, to compare regions of pictures.</summary>
public sealed record JpegPixels(int Width, int Height, byte[] Grey)
{
    public static async Task<JpegPixels> DecodeAsync(byte[] jpeg)
    {
        var file = Path.Combine(Path.GetTempPath(), $"safetynet-pixels-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(file, jpeg);
        try
        {
            var size = (await RunAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", file]))
                .Split(',', StringSplitOptions.TrimEntries);
            var grey = await RunBytesAsync("ffmpeg", ["-v", "error", "-i", file, "-f", "rawvideo", "-pix_fmt", "gray", "-"]);
            var (width, height) = (int.Parse(size[0]), int.Parse(size[1]));
            Assert.Equal(width * height, grey.Length);
            return new JpegPixels(width, height, grey);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The first frame a client of a live RTSP stream decodes, as a high-quality JPEG decoded to grey.</summary>
    public static Task<JpegPixels> GrabAsync(string rtspUrl) => FirstFrameOfAsync(["-rtsp_transport", "tcp", "-i", rtspUrl]);

    /// <summary>The first picture of a video file (a recorded segment, say).</summary>
    public static Task<JpegPixels> FirstFrameAsync(string file) => FirstFrameOfAsync(["-i", file]);

    private static async Task<JpegPixels> FirstFrameOfAsync(string[] input) =>
        await DecodeAsync(await RunBytesAsync("ffmpeg", ["-v", "error", .. input, "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "2", "-f", "image2pipe", "-"]));

    /// <summary>The mean absolute difference of two same-sized pictures over a rectangle.</summary>
    public double MeanDifference(JpegPixels other, int x, int y, int width, int height)
    {
        Assert.Equal((Width, Height), (other.Width, other.Height));
        long sum = 0;
        for (var row = y; row < y + height; row++)
        for (var column = x; column < x + width; column++)
            sum += Math.Abs(Grey[row * Width + column] - other.Grey[row * Width + column]);
        return (double)sum / (width * height);
    }

    private static async Task<string> RunAsync(string tool, string[] arguments) => System.Text.Encoding.ASCII.GetString(await RunBytesAsync(tool, arguments)).Trim();

    private static async Task<byte[]> RunBytesAsync(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await errors}");
        return output.ToArray();
    }
}
