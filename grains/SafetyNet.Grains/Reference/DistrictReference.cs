using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>A row of the embedded KOSTAT district table (seoul-districts.csv).</summary>
public sealed record DistrictReference(
    string Code,
    string Name,
    string NameEnglish,
    GeoPoint Centroid,
    double AreaKm2,
    double MinLatitude,
    double MinLongitude,
    double MaxLatitude,
    double MaxLongitude,
    int CrimePreventionCctv2016)
{
    public bool BoxContains(GeoPoint p) =>
        p.Latitude >= MinLatitude && p.Latitude <= MaxLatitude && p.Longitude >= MinLongitude && p.Longitude <= MaxLongitude;
}
