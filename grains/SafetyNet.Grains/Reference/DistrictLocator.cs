using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>
/// Which district a point lies in. With boundary polygons this is exact; without them it is the nearest centroid among the
/// districts whose bounding box holds the point, and a point in no box is outside Seoul.
/// </summary>
public sealed class DistrictLocator(DistrictBoundaries? boundaries)
{
    public bool HasBoundaries => boundaries is not null;

    public string? Locate(GeoPoint p)
    {
        if (!SeoulBounds.Contains(p)) return null;
        var candidates = SeoulDistricts.All.Where(d => d.BoxContains(p));
        if (boundaries is not null)
            return candidates.FirstOrDefault(d => boundaries.Contains(d.Code, p))?.Code;
        return candidates.MinBy(d => GeoMath.DistanceMeters(d.Centroid, p))?.Code;
    }
}
