using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>
/// District boundary polygons (with their holes) read from a GeoJSON FeatureCollection (<c>Demo:DistrictBoundaries</c>):
/// the KOSTAT file in ../shared, or a boundary file as Korean agencies publish it. A feature is matched to a served
/// district by a name only one served district has (<c>name</c>, <c>SIG_KOR_NM</c>, <c>adm_nm</c>, <c>name_eng</c>,
/// <c>SIG_ENG_NM</c>; <see cref="Region.Named"/>), else by its administrative code (<c>SIG_CD</c>, <c>ADM_SECT_C</c>,
/// <c>adm_cd</c>: 11110 for Jongno-gu), else by the statistical code served here (<c>code</c>: 11010). Several features of one
/// district are joined. Positions in a Korean grid are converted when the file names it (<see cref="GeoJsonCrs"/>).
/// A file of which no feature can be used stops the node, since every district would silently fall back to its disc.
/// </summary>
public sealed class DistrictBoundaries
{
    private static readonly string[] AdministrativeCodeProperties = ["SIG_CD", "sig_cd", "ADM_SECT_C", "adm_sect_c", "adm_cd", "ADM_CD"];
    private static readonly string[] StatisticalCodeProperties = ["code"];
    private static readonly string[] NameProperties = ["name", "SIG_KOR_NM", "sig_kor_nm", "adm_nm", "ADM_NM", "sggnm", "SGG_NM"];
    private static readonly string[] EnglishNameProperties = ["name_eng", "SIG_ENG_NM", "sig_eng_nm"];
    // How far a boundary may lie from the district's box in the embedded table and still be taken as its boundary.
    private const double BoxSlackDegrees = 0.05;

    private readonly Dictionary<string, DistrictShape> _shapes;

    private DistrictBoundaries(Dictionary<string, DistrictShape> shapes, GeoJsonCrs crs, IReadOnlyList<string> unused, IReadOnlyList<string> missing)
    {
        _shapes = shapes;
        Crs = crs;
        Unused = unused;
        Missing = missing;
    }

    public IReadOnlyCollection<string> Codes => _shapes.Keys;

    /// <summary>The system the file's positions were in.</summary>
    public GeoJsonCrs Crs { get; }

    /// <summary>Features not used, each with why (no served district by that code or name, a geometry that cannot be read, or one lying elsewhere).</summary>
    public IReadOnlyList<string> Unused { get; }

    /// <summary>Served districts the file has no boundary for; they are placed and located by their disc.</summary>
    public IReadOnlyList<string> Missing { get; }

    public IReadOnlyList<GeoPoint[]> RingsOf(string code) => _shapes.TryGetValue(code, out var shape) ? shape.Polygons.Select(p => p.Outer).ToArray() : [];

    /// <summary>The box around the district's boundary, or null without one.</summary>
    public RegionBounds? BoxOf(string code) => _shapes.TryGetValue(code, out var shape) ? shape.Box : null;

    public bool Contains(string code, GeoPoint p) => _shapes.TryGetValue(code, out var shape) && shape.Box.Contains(p) && shape.Polygons.Any(polygon => polygon.Contains(p));

    public static DistrictBoundaries Load(string path, Region region, ILogger logger)
    {
        using var stream = File.OpenRead(path);
        try
        {
            var boundaries = Read(stream, region);
            logger.LogInformation("District boundaries: {Count} of {Served} districts from {Path} ({Crs}){Missing}",
                boundaries.Codes.Count, region.Codes.Count, path, boundaries.Crs.Description,
                boundaries.Missing.Count == 0 ? "" : $"; located by their disc: {string.Join(", ", boundaries.Missing.Take(10))}{(boundaries.Missing.Count > 10 ? ", …" : "")}");
            if (boundaries.Unused.Count > 0)
                logger.LogWarning("{Count} features of {Path} were not used: {Features}", boundaries.Unused.Count, path, string.Join("; ", boundaries.Unused.Take(10)));
            return boundaries;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Demo:DistrictBoundaries ({Path.GetFullPath(path)}): {e.Message}", e);
        }
    }

    public static DistrictBoundaries Read(Stream json, Region region)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("The file is not a GeoJSON FeatureCollection with a 'features' array.");
        var crs = GeoJsonCrs.Of(root);
        var polygons = new Dictionary<string, List<DistrictPolygon>>();
        var unused = new List<string>();
        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            var label = $"feature {index++}";
            var properties = feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var names = Values(properties, NameProperties).Concat(Values(properties, EnglishNameProperties)).ToArray();
            var administrativeCodes = Values(properties, AdministrativeCodeProperties).ToArray();
            var statisticalCodes = Values(properties, StatisticalCodeProperties).ToArray();
            label = $"{label} ({string.Join(", ", administrativeCodes.Concat(statisticalCodes).Concat(names).DefaultIfEmpty("no code or name"))})";
            // Administrative codes overlap the statistical ones served here (11230 is Dongdaemun-gu's administrative code
            // and Gangnam-gu's statistical one), so each code is read as its property says.
            var code = names.Select(region.Named).FirstOrDefault(c => c is not null)
                ?? administrativeCodes.Select(region.WithAdministrativeCode).FirstOrDefault(c => c is not null)
                ?? statisticalCodes.FirstOrDefault(region.Serves);
            var district = code is null ? null : region.Find(code);
            if (district is null)
            {
                unused.Add($"{label}: no district served here has that code or name");
                continue;
            }
            List<DistrictPolygon> shape;
            try
            {
                shape = ReadPolygons(feature, crs, $"{label}, district {district.Code}");
            }
            catch (InvalidDataException unreadable)
            {
                unused.Add(unreadable.Message);
                continue;
            }
            var box = Box(shape);
            if (box.MaxLatitude < district.MinLatitude - BoxSlackDegrees || box.MinLatitude > district.MaxLatitude + BoxSlackDegrees
                || box.MaxLongitude < district.MinLongitude - BoxSlackDegrees || box.MinLongitude > district.MaxLongitude + BoxSlackDegrees)
            {
                unused.Add($"{label}: it lies at lat {box.MinLatitude:F3}..{box.MaxLatitude:F3}, lon {box.MinLongitude:F3}..{box.MaxLongitude:F3}, "
                    + $"not where district {district.Code} ({district.NameEnglish}) is");
                continue;
            }
            if (!polygons.TryGetValue(district.Code, out var list)) polygons[district.Code] = list = [];
            list.AddRange(shape);
        }
        if (polygons.Count == 0)
            throw new InvalidDataException($"None of its {index} features is the boundary of a district served here. "
                + $"The first: {unused.FirstOrDefault() ?? "the file has no features"}. A feature is matched by its name ({string.Join(", ", NameProperties.Concat(EnglishNameProperties))}), "
                + $"its administrative code ({string.Join(", ", AdministrativeCodeProperties)}) or its statistical code ({string.Join(", ", StatisticalCodeProperties)}); positions are WGS84 [longitude, latitude] "
                + $"unless the file's \"crs\" names another system ({GeoJsonCrs.Supported}).");
        var shapes = polygons.ToDictionary(kv => kv.Key, kv => new DistrictShape(kv.Value.ToArray(), Box(kv.Value)));
        var missing = region.Codes.Where(code => !shapes.ContainsKey(code)).ToArray();
        return new DistrictBoundaries(shapes, crs, unused, missing);
    }

    /// <summary>The boundaries as RFC 7946 GeoJSON (WGS84, the served codes and names), for the dashboard's map.</summary>
    public string ToGeoJson(Region region)
    {
        static JsonArray Ring(GeoPoint[] ring) => new(ring.Select(point => (JsonNode)new JsonArray(point.Longitude, point.Latitude)).ToArray());
        var features = new JsonArray();
        foreach (var (code, shape) in _shapes)
        {
            var district = region.Find(code)!;
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["properties"] = new JsonObject { ["code"] = code, ["name"] = district.Name, ["name_eng"] = district.NameEnglish },
                ["geometry"] = new JsonObject
                {
                    ["type"] = "MultiPolygon",
                    ["coordinates"] = new JsonArray(shape.Polygons.Select(polygon => (JsonNode)new JsonArray([Ring(polygon.Outer), .. polygon.Holes.Select(Ring)])).ToArray()),
                },
            });
        }
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = features }.ToJsonString();
    }

    private static IEnumerable<string> Values(JsonElement properties, string[] names)
    {
        if (properties.ValueKind != JsonValueKind.Object) yield break;
        foreach (var name in names)
        {
            if (properties.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
                && value.ToString().Trim() is { Length: > 0 } text)
                yield return text;
        }
    }

    private static List<DistrictPolygon> ReadPolygons(JsonElement feature, GeoJsonCrs crs, string label)
    {
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object
            || !geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{label} has no geometry with coordinates.");
        var type = geometry.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var polygons = type switch
        {
            "Polygon" => [coordinates],
            "MultiPolygon" => coordinates.EnumerateArray().ToArray(),
            _ => throw new InvalidDataException($"{label} has geometry '{type}'; a boundary is a Polygon or a MultiPolygon."),
        };
        return polygons.Select(polygon =>
        {
            var rings = polygon.ValueKind == JsonValueKind.Array ? polygon.EnumerateArray().Select(ring => ReadRing(ring, crs, label)).ToArray() : [];
            if (rings.Length == 0) throw new InvalidDataException($"{label} has a polygon without rings.");
            return new DistrictPolygon(rings[0], rings[1..]);
        }).ToList();
    }

    private static GeoPoint[] ReadRing(JsonElement ring, GeoJsonCrs crs, string label)
    {
        if (ring.ValueKind != JsonValueKind.Array || ring.GetArrayLength() < 4) throw new InvalidDataException($"{label} has a ring of fewer than four positions.");
        return ring.EnumerateArray().Select(position =>
        {
            if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number)
                throw new InvalidDataException($"{label} has a position that is not [x, y] numbers.");
            var (x, y) = (position[0].GetDouble(), position[1].GetDouble());
            if (crs.IsGeographic && GeoJsonCrs.NotDegrees(x, y) is { } notDegrees) throw new InvalidDataException($"{label}: {notDegrees}");
            return crs.ToWgs84(x, y);
        }).ToArray();
    }

    private static RegionBounds Box(IEnumerable<DistrictPolygon> polygons)
    {
        var points = polygons.SelectMany(p => p.Outer).ToArray();
        return new RegionBounds("boundary", points.Min(p => p.Latitude), points.Min(p => p.Longitude), points.Max(p => p.Latitude), points.Max(p => p.Longitude));
    }

    private sealed record DistrictShape(DistrictPolygon[] Polygons, RegionBounds Box);

    private sealed record DistrictPolygon(GeoPoint[] Outer, GeoPoint[][] Holes)
    {
        public bool Contains(GeoPoint p) => RingContains(Outer, p) && !Holes.Any(hole => RingContains(hole, p));

        private static bool RingContains(GeoPoint[] ring, GeoPoint p)
        {
            var inside = false;
            for (int i = 0, j = ring.Length - 1; i < ring.Length; j = i++)
            {
                var a = ring[i];
                var b = ring[j];
                if ((a.Latitude > p.Latitude) != (b.Latitude > p.Latitude) &&
                    p.Longitude < (b.Longitude - a.Longitude) * (p.Latitude - a.Latitude) / (b.Latitude - a.Latitude) + a.Longitude)
                    inside = !inside;
            }
            return inside;
        }
    }
}
