using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>
/// Which district of the region a point lies in. A district with a boundary polygon is matched exactly; the others by the
/// nearest centroid among those whose bounding box holds the point. A point in no district is outside the region.
/// </summary>
public sealed class DistrictLocator
{
    private readonly DistrictBoundaries? _boundaries;
    private readonly Region _region;
    private readonly RegionBounds _envelope;
    private readonly (DistrictReference District, RegionBounds Box)[] _boxes;
    private readonly Lazy<string?> _boundariesGeoJson;

    public DistrictLocator(DistrictBoundaries? boundaries, Region region)
    {
        _boundaries = boundaries;
        _region = region;
        // A boundary drawn finer than the embedded table's boxes may reach a little past them.
        _boxes = region.Districts.Select(d => (d, BoxOf(d))).ToArray();
        var boxes = _boxes.Select(b => b.Box).ToArray();
        _envelope = new RegionBounds(region.Bounds.Name, Math.Min(region.Bounds.MinLatitude, boxes.Min(b => b.MinLatitude)),
            Math.Min(region.Bounds.MinLongitude, boxes.Min(b => b.MinLongitude)), Math.Max(region.Bounds.MaxLatitude, boxes.Max(b => b.MaxLatitude)),
            Math.Max(region.Bounds.MaxLongitude, boxes.Max(b => b.MaxLongitude)));
        _boundariesGeoJson = new(() => boundaries?.ToGeoJson(region));
    }

    public DistrictLocator(DistrictBoundaries? boundaries) : this(boundaries, Region.Seoul)
    {
    }

    public Region Region => _region;

    /// <summary>The boundaries as RFC 7946 GeoJSON with the served codes, or null without any.</summary>
    public string? BoundariesGeoJson => _boundariesGeoJson.Value;

    public bool HasBoundaries => _boundaries is not null;

    /// <summary>Whether cameras in <paramref name="district"/> are placed and located by its polygon.</summary>
    public bool HasBoundaryOf(string district) => _boundaries?.BoxOf(district) is not null;

    /// <summary>The box around the district: its boundary's when known, else the embedded table's.</summary>
    private RegionBounds BoxOf(DistrictReference district) => _boundaries?.BoxOf(district.Code)
        ?? new RegionBounds(district.Code, district.MinLatitude, district.MinLongitude, district.MaxLatitude, district.MaxLongitude);

    public string? Locate(GeoPoint p)
    {
        if (!_envelope.Contains(p)) return null;
        var candidates = _boxes.Where(b => b.Box.Contains(p)).Select(b => b.District).ToList();
        if (_boundaries is not null && candidates.FirstOrDefault(d => _boundaries.Contains(d.Code, p)) is { } inside)
            return inside.Code;
        return candidates.Where(d => !HasBoundaryOf(d.Code)).MinBy(d => GeoMath.DistanceMeters(d.Centroid, p))?.Code;
    }
}
