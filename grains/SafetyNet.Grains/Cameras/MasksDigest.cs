using System.Buffers.Binary;
using System.Security.Cryptography;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// A fingerprint of a camera's privacy masks, which its district keeps beside its note that the camera is masked: a camera
/// record put back from an older copy (a backup, a replayed row) holds other masks, and so another fingerprint.
/// </summary>
public static class MasksDigest
{
    /// <summary>SHA-256 over every polygon's point count and coordinates, in order; hex.</summary>
    public static string Of(IReadOnlyList<MaskPolygon> polygons)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        foreach (var polygon in polygons)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, polygon.Points.Length);
            hash.AppendData(number);
            foreach (var point in polygon.Points)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(number, point.X);
                hash.AppendData(number);
                BinaryPrimitives.WriteDoubleLittleEndian(number, point.Y);
                hash.AppendData(number);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
