namespace SafetyNet.Contracts.Geo;

/// <summary>The inverse transverse Mercator in Krüger's series to the fourth order of n (mm-level within a few degrees of the central meridian).</summary>
internal sealed class TransverseMercator
{
    private readonly double _centralMeridian;
    private readonly double _scale;
    private readonly double _falseEasting;
    private readonly double _falseNorthing;
    private readonly double _rectifyingRadius;
    private readonly double _eccentricity;
    private readonly double[] _alpha;
    private readonly double[] _beta;
    private readonly double[] _delta;
    private readonly double _originArc;

    public TransverseMercator(Ellipsoid ellipsoid, double originLatitude, double centralMeridian, double scale, double falseEasting, double falseNorthing)
    {
        _centralMeridian = centralMeridian;
        _scale = scale;
        _falseEasting = falseEasting;
        _falseNorthing = falseNorthing;

        var n = ellipsoid.Flattening / (2 - ellipsoid.Flattening);
        double n2 = n * n, n3 = n2 * n, n4 = n3 * n;
        _rectifyingRadius = ellipsoid.SemiMajorAxis / (1 + n) * (1 + n2 / 4 + n4 / 64);
        _eccentricity = 2 * Math.Sqrt(n) / (1 + n);
        _alpha =
        [
            n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180,
            13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440,
            61 * n3 / 240 - 103 * n4 / 140,
            49561 * n4 / 161280,
        ];
        _beta =
        [
            n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360,
            n2 / 48 + n3 / 15 - 437 * n4 / 1440,
            17 * n3 / 480 - 37 * n4 / 840,
            4397 * n4 / 161280,
        ];
        _delta =
        [
            2 * n - 2 * n2 / 3 - 2 * n3 + 116 * n4 / 45,
            7 * n2 / 3 - 8 * n3 / 5 - 227 * n4 / 45,
            56 * n3 / 15 - 136 * n4 / 35,
            4279 * n4 / 630,
        ];
        _originArc = MeridianArc(GeoMath.ToRadians(originLatitude));
    }

    // The normalised meridian distance (ξ) of a latitude on the central meridian.
    private double MeridianArc(double latitude)
    {
        var conformal = Math.Atan(Math.Sinh(Math.Atanh(Math.Sin(latitude)) - _eccentricity * Math.Atanh(_eccentricity * Math.Sin(latitude))));
        var arc = conformal;
        for (var j = 1; j <= 4; j++) arc += _alpha[j - 1] * Math.Sin(2 * j * conformal);
        return arc;
    }

    /// <summary>A grid position as latitude and longitude on the grid's own ellipsoid.</summary>
    public GeoPoint ToGeographic(double easting, double northing)
    {
        var xi = (northing - _falseNorthing) / (_scale * _rectifyingRadius) + _originArc;
        var eta = (easting - _falseEasting) / (_scale * _rectifyingRadius);
        double xiPrime = xi, etaPrime = eta;
        for (var j = 1; j <= 4; j++)
        {
            xiPrime -= _beta[j - 1] * Math.Sin(2 * j * xi) * Math.Cosh(2 * j * eta);
            etaPrime -= _beta[j - 1] * Math.Cos(2 * j * xi) * Math.Sinh(2 * j * eta);
        }
        var chi = Math.Asin(Math.Sin(xiPrime) / Math.Cosh(etaPrime));
        var latitude = chi;
        for (var j = 1; j <= 4; j++) latitude += _delta[j - 1] * Math.Sin(2 * j * chi);
        var longitude = GeoMath.ToRadians(_centralMeridian) + Math.Atan2(Math.Sinh(etaPrime), Math.Cos(xiPrime));
        return new GeoPoint(GeoMath.ToDegrees(latitude), GeoMath.ToDegrees(longitude));
    }
}
