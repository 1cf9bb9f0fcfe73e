using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>
/// Which district of the region a point lies in. A district with a boundary polygon is matched exactly; the others by the
/// nearest centroid among those whose bounding box holds the point. A point in no district is outside the region.
/// </summary>
public sealed class DistrictLocator(DistrictBoundaries? boundaries, Region region)
{
    public DistrictLocator(DistrictBoundaries? boundaries) : this(boundaries, Region.Seoul)
    {
    }

    public Region Region => region;

    public bool HasBoundaries => boundaries is not null;

    /// <summary>Whether cameras in <paramref name="district"/> are placed and located by its polygon.</summary>
    public bool HasBoundaryOf(string district) => boundaries is not null && boundaries.Codes.Contains(district);

    public string? Locate(GeoPoint p)
    {
        if (!region.Contains(p)) return null;
        var candidates = region.Districts.Where(d => d.BoxContains(p)).ToList();
        if (boundaries is not null && candidates.FirstOrDefault(d => HasBoundaryOf(d.Code) && boundaries.Contains(d.Code, p)) is { } inside)
            return inside.Code;
        return candidates.Where(d => !HasBoundaryOf(d.Code)).MinBy(d => GeoMath.DistanceMeters(d.Centroid, p))?.Code;
    }
}
