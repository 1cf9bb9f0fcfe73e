namespace SafetyNet.Contracts.Geo;

/// <summary>The envelope of Seoul's 25 districts (from the KOSTAT boundaries); a cheap first gate before district lookup.</summary>
public static class SeoulBounds
{
    public const double MinLatitude = 37.41;
    public const double MaxLatitude = 37.72;
    public const double MinLongitude = 126.76;
    public const double MaxLongitude = 127.19;

    public static bool Contains(GeoPoint p) =>
        p.IsFinite && p.Latitude is >= MinLatitude and <= MaxLatitude && p.Longitude is >= MinLongitude and <= MaxLongitude;
}
