using System.Security.Cryptography;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Media;

/// <summary>A camera's privacy masks as its relay applies them: the mask picture, and a key that changes whenever the picture does.</summary>
public sealed record RelayMask(byte[] Image, string Key)
{
    /// <summary>Null for a camera without masks: its relay copies the stream and encodes nothing.</summary>
    public static RelayMask? For(IReadOnlyList<MaskPolygon> polygons, string fillColor)
    {
        if (polygons.Count == 0) return null;
        var image = MaskImage.Render(polygons, fillColor);
        return new RelayMask(image, Convert.ToHexString(SHA256.HashData(image)));
    }
}
