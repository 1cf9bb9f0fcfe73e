namespace SafetyNet.Contracts.Geo;

/// <summary>A reference ellipsoid, and positions on it between latitude/longitude and geocentric X, Y, Z (at height 0).</summary>
internal sealed record Ellipsoid(double SemiMajorAxis, double Flattening)
{
    /// <summary>GRS80, the ellipsoid of Korea 2000 (KGD2002); within 0.1 mm of WGS84's, so Korea 2000 positions are read as WGS84.</summary>
    public static readonly Ellipsoid Grs80 = new(6378137.0, 1 / 298.257222101);

    public static readonly Ellipsoid Wgs84 = new(6378137.0, 1 / 298.257223563);

    /// <summary>Bessel 1841, the ellipsoid of the Korean 1985 (Tokyo) datum of the older grids.</summary>
    public static readonly Ellipsoid Bessel1841 = new(6377397.155, 1 / 299.1528128);

    private double EccentricitySquared => Flattening * (2 - Flattening);

    public (double X, double Y, double Z) ToGeocentric(GeoPoint point)
    {
        var latitude = GeoMath.ToRadians(point.Latitude);
        var longitude = GeoMath.ToRadians(point.Longitude);
        var primeVerticalRadius = SemiMajorAxis / Math.Sqrt(1 - EccentricitySquared * Math.Sin(latitude) * Math.Sin(latitude));
        return (primeVerticalRadius * Math.Cos(latitude) * Math.Cos(longitude),
                primeVerticalRadius * Math.Cos(latitude) * Math.Sin(longitude),
                primeVerticalRadius * (1 - EccentricitySquared) * Math.Sin(latitude));
    }

    /// <summary>The latitude and longitude under a geocentric position (its height dropped), by fixed-point iteration to well below a millimetre.</summary>
    public GeoPoint FromGeocentric(double x, double y, double z)
    {
        var distanceFromAxis = Math.Sqrt(x * x + y * y);
        var latitude = Math.Atan2(z, distanceFromAxis * (1 - EccentricitySquared));
        for (var i = 0; i < 5; i++)
        {
            var primeVerticalRadius = SemiMajorAxis / Math.Sqrt(1 - EccentricitySquared * Math.Sin(latitude) * Math.Sin(latitude));
            latitude = Math.Atan2(z + EccentricitySquared * primeVerticalRadius * Math.Sin(latitude), distanceFromAxis);
        }
        return new GeoPoint(GeoMath.ToDegrees(latitude), GeoMath.ToDegrees(Math.Atan2(y, x)));
    }
}
