using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Context;

/// <summary>
/// A layer's features bucketed by cells of about 500 m, so that a radius query reads only the cells the circle touches:
/// the hydrant layer holds tens of thousands of points, and an incident's context asks for the few around one place.
/// </summary>
internal sealed class ContextGrid
{
    private const double CellDegrees = 0.005;
    private static readonly double MetersPerDegree = Math.PI * GeoMath.EarthRadiusMeters / 180;
    private readonly Dictionary<(int Row, int Column), List<ContextFeature>> _cells = [];

    public void Add(ContextFeature feature) => CellOf(feature.Position).Add(feature);

    public void Remove(ContextFeature feature) => CellOf(feature.Position).Remove(feature);

    public IEnumerable<ContextFeature> Near(GeoPoint center, double radiusMeters)
    {
        var latitudeSpan = radiusMeters / MetersPerDegree * 1.01;
        // The widest circle of longitude the radius reaches: longitude degrees shrink towards the pole.
        var cosine = Math.Max(Math.Cos(GeoMath.ToRadians(Math.Min(Math.Abs(center.Latitude) + latitudeSpan, 89))), 1e-6);
        var longitudeSpan = latitudeSpan / cosine;
        var (firstRow, firstColumn) = Key(center.Latitude - latitudeSpan, center.Longitude - longitudeSpan);
        var (lastRow, lastColumn) = Key(center.Latitude + latitudeSpan, center.Longitude + longitudeSpan);
        for (var row = firstRow; row <= lastRow; row++)
        for (var column = firstColumn; column <= lastColumn; column++)
            if (_cells.TryGetValue((row, column), out var cell))
                foreach (var feature in cell)
                    yield return feature;
    }

    private List<ContextFeature> CellOf(GeoPoint p)
    {
        var key = Key(p.Latitude, p.Longitude);
        if (!_cells.TryGetValue(key, out var cell)) _cells[key] = cell = [];
        return cell;
    }

    private static (int, int) Key(double latitude, double longitude) =>
        ((int)Math.Floor(latitude / CellDegrees), (int)Math.Floor(longitude / CellDegrees));
}
