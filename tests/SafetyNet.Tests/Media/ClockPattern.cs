namespace SafetyNet.Tests.Media;

/// <summary>
/// Reads the clock pattern the RTSP test camera draws at the bottom of every frame (deploy/test-camera/camera_picture.py):
/// 64 equal blocks across the width, two blocks' width tall; guard 1 0 1 0, 48 bits of Unix milliseconds (most significant
/// first), a CRC-8 (polynomial 0x07) of those 6 bytes, guard 0 1 0 1; white is 1, black is 0.
/// </summary>
public static class ClockPattern
{
    private const int Blocks = 64, TimeBits = 48, CrcBits = 8;
    private static readonly (int Block, int Bit)[] Guards = [(0, 1), (1, 0), (2, 1), (3, 0), (60, 0), (61, 1), (62, 0), (63, 1)];

    /// <summary>The time the frame was drawn, or null when the pattern is missing, unclear or fails its check.</summary>
    public static DateTimeOffset? Read(JpegPixels frame) =>
        ReadMilliseconds(frame.Width, frame.Height, frame.Grey) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The Unix milliseconds in an 8-bit grey picture (row-major, no padding), or null when unreadable.</summary>
    public static long? ReadMilliseconds(int width, int height, byte[] grey)
    {
        var blockWidth = (double)width / Blocks;
        var band = 2 * blockWidth;
        if (blockWidth < 2 || height < band) return null;
        // The middle half of each block, away from the edges the encoder blurs.
        var (top, bottom) = ((int)Math.Round(height - 0.75 * band), (int)Math.Round(height - 0.25 * band));
        var levels = new double[Blocks];
        for (var block = 0; block < Blocks; block++)
        {
            var (left, right) = ((int)Math.Round((block + 0.25) * blockWidth), (int)Math.Round((block + 0.75) * blockWidth));
            long sum = 0;
            for (var y = top; y < bottom; y++)
            for (var x = left; x < right; x++)
                sum += grey[y * width + x];
            levels[block] = (double)sum / ((bottom - top) * (right - left));
        }

        var white = Guards.Where(g => g.Bit == 1).Average(g => levels[g.Block]);
        var black = Guards.Where(g => g.Bit == 0).Average(g => levels[g.Block]);
        if (white - black < 64) return null;
        var threshold = (white + black) / 2;
        var margin = (white - black) / 4;
        if (levels.Any(level => Math.Abs(level - threshold) < margin)) return null;
        var bits = levels.Select(level => level > threshold ? 1 : 0).ToArray();
        if (Guards.Any(g => bits[g.Block] != g.Bit)) return null;

        long value = 0;
        for (var i = 0; i < TimeBits; i++) value = value << 1 | (long)bits[4 + i];
        var crc = 0;
        for (var i = 0; i < CrcBits; i++) crc = crc << 1 | bits[4 + TimeBits + i];
        var bytes = new byte[TimeBits / 8];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(value >> (8 * (bytes.Length - 1 - i)));
        return Crc8(bytes) == crc ? value : null;
    }

    private static int Crc8(byte[] data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
        }
        return crc;
    }
}
