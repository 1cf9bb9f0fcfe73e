using System.Text.Json;
using System.Text.RegularExpressions;

namespace SafetyNet.Contracts.Geo;

/// <summary>
/// The coordinate reference system a GeoJSON file's positions are in. RFC 7946 GeoJSON is WGS84 longitude/latitude, but
/// Korean public GIS data is published in the national transverse Mercator grids (the statistics office's boundaries in
/// UTM-K, EPSG:5179; cities' facilities in the 2010 belts, EPSG:5185-5188, or the older central belt, EPSG:5181), and
/// converted files name theirs in the 2008 GeoJSON "crs" member. Older datasets, Seoul's among them, are still in the
/// Korean 1985 grids on the Bessel ellipsoid (EPSG:2096-2098, and the "modified" belts 5173-5178 that most Korean GIS
/// software writes): those are shifted to WGS84 as PROJ does. Longitude and latitude on either Korean datum (EPSG:4737,
/// 4162: a shapefile's geographic system, as ogr2ogr names it) and web Mercator (EPSG:3857) are read too; any other
/// named system is refused by name rather than misplaced.
/// </summary>
public sealed partial class GeoJsonCrs
{
    private const int WebMercator = 3857;

    // The Korean 1985 "modified" belts put their central meridians 10.405" east of the round ones.
    private const double ModifiedBeltOffset = 10.405 / 3600;

    private static readonly Dictionary<int, GeoJsonCrs> Known = new GeoJsonCrs[]
    {
        new(4326, "WGS84 longitude/latitude"),
        new(4737, "Korea 2000 longitude/latitude"),
        new(4162, "Korean 1985 longitude/latitude", datumShift: MolodenskyBadekas.Korean1985ToWgs84),
        new(5179, "Korea 2000 / Unified CS (UTM-K)", Korea2000(127.5, 0.9996, 1_000_000, 2_000_000)),
        new(5181, "Korea 2000 / Central Belt", Korea2000(127, 1, 200_000, 500_000)),
        new(5185, "Korea 2000 / West Belt 2010", Korea2000(125, 1, 200_000, 600_000)),
        new(5186, "Korea 2000 / Central Belt 2010", Korea2000(127, 1, 200_000, 600_000)),
        new(5187, "Korea 2000 / East Belt 2010", Korea2000(129, 1, 200_000, 600_000)),
        new(5188, "Korea 2000 / East Sea Belt 2010", Korea2000(131, 1, 200_000, 600_000)),
        new(2096, "Korean 1985 / East Belt", Korean1985(129, 1, 200_000, 500_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(2097, "Korean 1985 / Central Belt", Korean1985(127, 1, 200_000, 500_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(2098, "Korean 1985 / West Belt", Korean1985(125, 1, 200_000, 500_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(5173, "Korean 1985 / Modified West Belt", Korean1985(125 + ModifiedBeltOffset, 1, 200_000, 500_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(5174, "Korean 1985 / Modified Central Belt", Korean1985(127 + ModifiedBeltOffset, 1, 200_000, 500_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(5175, "Korean 1985 / Modified Central Belt Jeju", Korean1985(127 + ModifiedBeltOffset, 1, 200_000, 550_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(5176, "Korean 1985 / Modified East Belt", Korean1985(129 + ModifiedBeltOffset, 1, 200_000, 500_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(5177, "Korean 1985 / Modified East Sea Belt", Korean1985(131 + ModifiedBeltOffset, 1, 200_000, 500_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(5178, "Korean 1985 / Unified CS", Korean1985(127.5, 0.9996, 1_000_000, 2_000_000), MolodenskyBadekas.Korean1985ToWgs84),
        new(WebMercator, "WGS 84 / Pseudo-Mercator"),
    }.ToDictionary(crs => crs.Epsg);

    private readonly TransverseMercator? _grid;
    private readonly MolodenskyBadekas? _datumShift;

    private GeoJsonCrs(int epsg, string description, TransverseMercator? grid = null, MolodenskyBadekas? datumShift = null)
    {
        Epsg = epsg;
        Description = description;
        _grid = grid;
        _datumShift = datumShift;
    }

    private static TransverseMercator Korea2000(double centralMeridian, double scale, double falseEasting, double falseNorthing) =>
        new(Ellipsoid.Grs80, 38, centralMeridian, scale, falseEasting, falseNorthing);

    private static TransverseMercator Korean1985(double centralMeridian, double scale, double falseEasting, double falseNorthing) =>
        new(Ellipsoid.Bessel1841, 38, centralMeridian, scale, falseEasting, falseNorthing);

    public static GeoJsonCrs Wgs84 => Known[4326];

    public int Epsg { get; }

    public string Description { get; }

    public static string Supported => $"EPSG:{string.Join(", ", Known.Keys)}";

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
    public static GeoJsonCrs Of(JsonElement collection) =>
        NameIn(collection) is { } name ? Named(name) ?? throw new InvalidDataException(NotReadHere(name)) : Wgs84;

    /// <summary>The system a FeatureCollection's "crs" member names (its name, or the member itself when it is not a named one), or null for none.</summary>
    public static string? NameIn(JsonElement collection)
    {
        if (collection.ValueKind != JsonValueKind.Object || !collection.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null) return null;
        return crs.ValueKind == JsonValueKind.Object && crs.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("name", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : crs.GetRawText();
    }

    /// <summary>Why a file in the system <paramref name="name"/> is refused.</summary>
    public static string NotReadHere(string name) =>
        $"The file's coordinates are in '{EchoedText.Cut(name)}', which is not read here ({Supported} are). Convert the file to WGS84, e.g. with ogr2ogr -t_srs EPSG:4326.";

    /// <summary>Why a position given as WGS84 is not longitude and latitude in degrees (a grid file with no "crs"), or null.</summary>
    public static string? NotDegrees(double x, double y) => x is >= -180 and <= 180 && y is >= -90 and <= 90 ? null
        : $"[{x}, {y}] is not [longitude, latitude] in degrees. If the file is in a national grid, name it in the file's \"crs\" member ({Supported}), or convert the file to WGS84 (ogr2ogr -t_srs EPSG:4326).";

    /// <summary>Whether positions are longitude and latitude in degrees (on WGS84 or another datum) rather than metres.</summary>
    public bool IsGeographic => _grid is null && Epsg != WebMercator;

    /// <summary>A GeoJSON position ([x, y]: easting and northing, or longitude and latitude) as WGS84.</summary>
    public GeoPoint ToWgs84(double x, double y)
    {
        var onDatum = Epsg == WebMercator
            ? new GeoPoint(GeoMath.ToDegrees(2 * Math.Atan(Math.Exp(y / Ellipsoid.Wgs84.SemiMajorAxis)) - Math.PI / 2), GeoMath.ToDegrees(x / Ellipsoid.Wgs84.SemiMajorAxis))
            : _grid?.ToGeographic(x, y) ?? new GeoPoint(y, x);
        return _datumShift?.Apply(onDatum) ?? onDatum;
    }

    [GeneratedRegex(@"^\s*(?:urn:ogc:def:crs:)?EPSG:(?:[0-9.]*:)?([0-9]{4,5})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCode();
}
