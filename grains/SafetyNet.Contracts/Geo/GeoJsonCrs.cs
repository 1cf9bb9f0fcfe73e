using System.Text.Json;
using System.Text.RegularExpressions;

namespace SafetyNet.Contracts.Geo;

/// <summary>
/// The coordinate reference system a GeoJSON file's positions are in. RFC 7946 GeoJSON is WGS84 longitude/latitude, but
/// Korean public GIS data is published in the national transverse Mercator grids (the statistics office's boundaries in
/// UTM-K, EPSG:5179; cities' facilities in the 2010 belts, EPSG:5185-5188, or the older central belt, EPSG:5181), and
/// converted files name theirs in the 2008 GeoJSON "crs" member. Those grids, all on GRS80, and web Mercator (EPSG:3857)
/// are read; any other named system is refused by name rather than misplaced.
/// </summary>
public sealed partial class GeoJsonCrs
{
    private const double SemiMajorAxis = 6378137.0;
    private const double Flattening = 1 / 298.257222101;

    private static readonly Dictionary<int, GeoJsonCrs> Known = new()
    {
        [4326] = new(4326, "WGS84 longitude/latitude", null),
        [5179] = new(5179, "Korea 2000 / Unified CS (UTM-K)", new TransverseMercator(38, 127.5, 0.9996, 1_000_000, 2_000_000)),
        [5181] = new(5181, "Korea 2000 / Central Belt", new TransverseMercator(38, 127, 1, 200_000, 500_000)),
        [5185] = new(5185, "Korea 2000 / West Belt 2010", new TransverseMercator(38, 125, 1, 200_000, 600_000)),
        [5186] = new(5186, "Korea 2000 / Central Belt 2010", new TransverseMercator(38, 127, 1, 200_000, 600_000)),
        [5187] = new(5187, "Korea 2000 / East Belt 2010", new TransverseMercator(38, 129, 1, 200_000, 600_000)),
        [5188] = new(5188, "Korea 2000 / East Sea Belt 2010", new TransverseMercator(38, 131, 1, 200_000, 600_000)),
        [3857] = new(3857, "WGS 84 / Pseudo-Mercator", null),
    };

    private readonly TransverseMercator? _grid;

    private GeoJsonCrs(int epsg, string description, TransverseMercator? grid)
    {
        Epsg = epsg;
        Description = description;
        _grid = grid;
    }

    public static GeoJsonCrs Wgs84 => Known[4326];

    public int Epsg { get; }

    public string Description { get; }

    public static string Supported => string.Join(", ", Known.Values.Select(c => $"EPSG:{c.Epsg}"));

    /// <summary>
    /// The system a "crs" member's name stands for ("urn:ogc:def:crs:EPSG::5186", "EPSG:5186", the OGC CRS84 name), or
    /// null when it is not one of these.
    /// </summary>
    public static GeoJsonCrs? Named(string name)
    {
        if (name.Trim() is "urn:ogc:def:crs:OGC:1.3:CRS84" or "urn:ogc:def:crs:OGC::CRS84" or "CRS84") return Wgs84;
        return EpsgCode().Match(name) is { Success: true } match && int.TryParse(match.Groups[1].Value, out var code) ? Known.GetValueOrDefault(code) : null;
    }

    /// <summary>
    /// The system a FeatureCollection names in its "crs" member, WGS84 when it names none. A named system not read here is
    /// an <see cref="InvalidDataException"/> that says so.
    /// </summary>
    public static GeoJsonCrs Of(JsonElement collection)
    {
        if (collection.ValueKind != JsonValueKind.Object || !collection.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null) return Wgs84;
        var name = crs.ValueKind == JsonValueKind.Object && crs.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("name", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : crs.GetRawText();
        return Named(name) ?? throw new InvalidDataException(
            $"The file's coordinates are in '{(name.Length > 100 ? name[..100] + "…" : name)}', which is not read here ({Supported} are). "
            + "Convert the file to WGS84, e.g. with ogr2ogr -t_srs EPSG:4326.");
    }

    /// <summary>Why a position given as WGS84 is not longitude and latitude in degrees (a grid file with no "crs"), or null.</summary>
    public static string? NotDegrees(double x, double y) => x is >= -180 and <= 180 && y is >= -90 and <= 90 ? null
        : $"[{x}, {y}] is not [longitude, latitude] in degrees. If the file is in a national grid, name it in the file's \"crs\" member ({Supported}), or convert the file to WGS84 (ogr2ogr -t_srs EPSG:4326).";

    /// <summary>A GeoJSON position ([x, y]: easting and northing, or longitude and latitude) as WGS84.</summary>
    public GeoPoint ToWgs84(double x, double y) => Epsg switch
    {
        4326 => new GeoPoint(y, x),
        3857 => new GeoPoint(Degrees(2 * Math.Atan(Math.Exp(y / SemiMajorAxis)) - Math.PI / 2), Degrees(x / SemiMajorAxis)),
        _ => _grid!.ToWgs84(x, y),
    };

    private static double Degrees(double radians) => radians * 180 / Math.PI;

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    [GeneratedRegex(@"^\s*(?:urn:ogc:def:crs:)?EPSG:(?:[0-9.]*:)?([0-9]{4,5})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCode();

    /// <summary>The inverse transverse Mercator in Krüger's series to the fourth order of n (mm-level within a few degrees of the central meridian).</summary>
    private sealed class TransverseMercator
    {
        private static readonly double N = Flattening / (2 - Flattening);
        private static readonly double RectifyingRadius = SemiMajorAxis / (1 + N) * (1 + N * N / 4 + Math.Pow(N, 4) / 64);
        private static readonly double[] Alpha =
        [
            N / 2 - 2 * N * N / 3 + 5 * Math.Pow(N, 3) / 16 + 41 * Math.Pow(N, 4) / 180,
            13 * N * N / 48 - 3 * Math.Pow(N, 3) / 5 + 557 * Math.Pow(N, 4) / 1440,
            61 * Math.Pow(N, 3) / 240 - 103 * Math.Pow(N, 4) / 140,
            49561 * Math.Pow(N, 4) / 161280,
        ];
        private static readonly double[] Beta =
        [
            N / 2 - 2 * N * N / 3 + 37 * Math.Pow(N, 3) / 96 - Math.Pow(N, 4) / 360,
            N * N / 48 + Math.Pow(N, 3) / 15 - 437 * Math.Pow(N, 4) / 1440,
            17 * Math.Pow(N, 3) / 480 - 37 * Math.Pow(N, 4) / 840,
            4397 * Math.Pow(N, 4) / 161280,
        ];
        private static readonly double[] Delta =
        [
            2 * N - 2 * N * N / 3 - 2 * Math.Pow(N, 3) + 116 * Math.Pow(N, 4) / 45,
            7 * N * N / 3 - 8 * Math.Pow(N, 3) / 5 - 227 * Math.Pow(N, 4) / 45,
            56 * Math.Pow(N, 3) / 15 - 136 * Math.Pow(N, 4) / 35,
            4279 * Math.Pow(N, 4) / 630,
        ];

        private readonly double _centralMeridian;
        private readonly double _scale;
        private readonly double _falseEasting;
        private readonly double _falseNorthing;
        private readonly double _originArc;

        public TransverseMercator(double originLatitude, double centralMeridian, double scale, double falseEasting, double falseNorthing)
        {
            _centralMeridian = centralMeridian;
            _scale = scale;
            _falseEasting = falseEasting;
            _falseNorthing = falseNorthing;
            _originArc = MeridianArc(Radians(originLatitude));
        }

        // The normalised meridian distance (ξ) of a latitude on the central meridian.
        private static double MeridianArc(double latitude)
        {
            var e = 2 * Math.Sqrt(N) / (1 + N);
            var conformal = Math.Atan(Math.Sinh(Math.Atanh(Math.Sin(latitude)) - e * Math.Atanh(e * Math.Sin(latitude))));
            var arc = conformal;
            for (var j = 1; j <= 4; j++) arc += Alpha[j - 1] * Math.Sin(2 * j * conformal);
            return arc;
        }

        public GeoPoint ToWgs84(double easting, double northing)
        {
            var xi = (northing - _falseNorthing) / (_scale * RectifyingRadius) + _originArc;
            var eta = (easting - _falseEasting) / (_scale * RectifyingRadius);
            double xiPrime = xi, etaPrime = eta;
            for (var j = 1; j <= 4; j++)
            {
                xiPrime -= Beta[j - 1] * Math.Sin(2 * j * xi) * Math.Cosh(2 * j * eta);
                etaPrime -= Beta[j - 1] * Math.Cos(2 * j * xi) * Math.Sinh(2 * j * eta);
            }
            var chi = Math.Asin(Math.Sin(xiPrime) / Math.Cosh(etaPrime));
            var latitude = chi;
            for (var j = 1; j <= 4; j++) latitude += Delta[j - 1] * Math.Sin(2 * j * chi);
            var longitude = Radians(_centralMeridian) + Math.Atan2(Math.Sinh(etaPrime), Math.Cos(xiPrime));
            return new GeoPoint(Degrees(latitude), Degrees(longitude));
        }
    }
}
