using System.Globalization;
using System.Text;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Media;

/// <summary>
/// A camera's privacy masks drawn as an RGBA picture (PAM, which ffmpeg reads without a codec library): the fill colour, opaque,
/// inside any polygon; transparent elsewhere. ffmpeg scales it to the camera's frame, so coordinates stay normalized.
/// </summary>
public static class MaskImage
{
    public const int Width = 1280;
    public const int Height = 720;

    public static byte[] Render(IReadOnlyList<MaskPolygon> polygons, string fillColor)
    {
        var (r, g, b) = (Channel(fillColor, 1), Channel(fillColor, 3), Channel(fillColor, 5));
        var header = Encoding.ASCII.GetBytes($"P7\nWIDTH {Width}\nHEIGHT {Height}\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n");
        var image = new byte[header.Length + Width * Height * 4];
        header.CopyTo(image, 0);
        for (var y = 0; y < Height; y++)
        {
            var centerY = (y + 0.5) / Height;
            foreach (var polygon in polygons)
            {
                var crossings = Crossings(polygon.Points, centerY);
                // Even-odd rule: pixels between the 1st and 2nd crossing, the 3rd and 4th, ... are inside.
                for (var k = 0; k + 1 < crossings.Count; k += 2)
                    for (var x = FirstPixelAtOrAfter(crossings[k]); x < Width && (x + 0.5) / Width < crossings[k + 1]; x++)
                    {
                        var at = header.Length + (y * Width + x) * 4;
                        (image[at], image[at + 1], image[at + 2], image[at + 3]) = (r, g, b, 255);
                    }
            }
        }
        return image;
    }

    /// <summary>Where the outline crosses the horizontal line at <paramref name="y"/>, left to right.</summary>
    private static List<double> Crossings(MaskPoint[] outline, double y)
    {
        var crossings = new List<double>();
        for (int i = 0, j = outline.Length - 1; i < outline.Length; j = i++)
        {
            var (a, b) = (outline[i], outline[j]);
            if ((a.Y > y) != (b.Y > y)) crossings.Add(a.X + (y - a.Y) * (b.X - a.X) / (b.Y - a.Y));
        }
        crossings.Sort();
        return crossings;
    }

    private static int FirstPixelAtOrAfter(double x) => Math.Max(0, (int)Math.Ceiling(x * Width - 0.5));

    private static byte Channel(string color, int at) => byte.Parse(color.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
