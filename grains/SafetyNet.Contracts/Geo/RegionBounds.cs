namespace SafetyNet.Contracts.Geo;

/// <summary>The envelope of the configured region (Seoul by default), as the API's first gate on a point; <see cref="Name"/> is for messages.</summary>
public sealed record RegionBounds(string Name, double MinLatitude, double MinLongitude, double MaxLatitude, double MaxLongitude)
{
    public static RegionBounds Seoul { get; } = new("Seoul", SeoulBounds.MinLatitude, SeoulBounds.MinLongitude, SeoulBounds.MaxLatitude, SeoulBounds.MaxLongitude);

    public bool Contains(GeoPoint p) =>
        p.IsFinite && p.Latitude >= MinLatitude && p.Latitude <= MaxLatitude && p.Longitude >= MinLongitude && p.Longitude <= MaxLongitude;
}
