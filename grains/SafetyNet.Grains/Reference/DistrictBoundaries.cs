using System.Text.Json;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>District boundary polygons (outer rings, lon/lat) read from the KOSTAT GeoJSON, when a path is configured.</summary>
public sealed class DistrictBoundaries
{
    private readonly Dictionary<string, GeoPoint[][]> _rings;

    private DistrictBoundaries(Dictionary<string, GeoPoint[][]> rings) => _rings = rings;

    public IReadOnlyCollection<string> Codes => _rings.Keys;

    public IReadOnlyList<GeoPoint[]> RingsOf(string code) => _rings.TryGetValue(code, out var r) ? r : [];

    public static DistrictBoundaries Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var rings = new Dictionary<string, GeoPoint[][]>();
        foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var code = feature.GetProperty("properties").GetProperty("code").GetString()
                ?? throw new InvalidDataException($"{path}: a feature has no 'code' property.");
            var geometry = feature.GetProperty("geometry");
            var polygons = geometry.GetProperty("type").GetString() switch
            {
                "Polygon" => [geometry.GetProperty("coordinates")],
                "MultiPolygon" => geometry.GetProperty("coordinates").EnumerateArray().ToArray(),
                var other => throw new InvalidDataException($"{path}: district {code} has unsupported geometry '{other}'."),
            };
            rings[code] = polygons.Select(p => p[0].EnumerateArray()
                .Select(c => new GeoPoint(c[1].GetDouble(), c[0].GetDouble())).ToArray()).ToArray();
        }
        return new DistrictBoundaries(rings);
    }

    public bool Contains(string code, GeoPoint p) => RingsOf(code).Any(ring => RingContains(ring, p));

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
