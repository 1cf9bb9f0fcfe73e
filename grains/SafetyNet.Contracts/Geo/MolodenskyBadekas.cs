namespace SafetyNet.Contracts.Geo;

/// <summary>
/// A ten-parameter datum shift in the geocentric domain (EPSG method 1034, coordinate-frame rotations): positions on one
/// datum's ellipsoid to another's, rotated and scaled about an evaluation point.
/// </summary>
internal sealed class MolodenskyBadekas(
    Ellipsoid source, Ellipsoid target,
    (double X, double Y, double Z) translationMeters, (double X, double Y, double Z) rotationArcSeconds, double scalePpm,
    (double X, double Y, double Z) evaluationPoint)
{
    private static readonly double RadiansPerArcSecond = Math.PI / (180 * 3600);

    /// <summary>
    /// Korean 1985 to WGS 84 (1), EPSG:5191, the operation PROJ applies to every Korean 1985 grid (accurate to about
    /// 1 m onshore).
    /// </summary>
    public static readonly MolodenskyBadekas Korean1985ToWgs84 = new(
        Ellipsoid.Bessel1841, Ellipsoid.Wgs84,
        (-145.907, 505.034, 685.756), (-1.162, 2.347, 1.592), 6.342,
        (-3159521.31, 4068151.32, 3748113.85));

    public GeoPoint Apply(GeoPoint point)
    {
        var (x, y, z) = source.ToGeocentric(point);
        double dx = x - evaluationPoint.X, dy = y - evaluationPoint.Y, dz = z - evaluationPoint.Z;
        double rx = rotationArcSeconds.X * RadiansPerArcSecond, ry = rotationArcSeconds.Y * RadiansPerArcSecond, rz = rotationArcSeconds.Z * RadiansPerArcSecond;
        var scale = 1 + scalePpm * 1e-6;
        return target.FromGeocentric(
            scale * (dx + rz * dy - ry * dz) + evaluationPoint.X + translationMeters.X,
            scale * (-rz * dx + dy + rx * dz) + evaluationPoint.Y + translationMeters.Y,
            scale * (ry * dx - rx * dy + dz) + evaluationPoint.Z + translationMeters.Z);
    }
}
