using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>
/// A row of the embedded KOSTAT district table (seoul-districts.csv). <see cref="AdministrativeCode"/> is the district's
/// administrative code (행정표준코드), which alerts and published boundaries carry instead of the statistical code.
/// </summary>
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
    int CrimePreventionCctv2016,
    string? AdministrativeCode = null)
{
    public bool BoxContains(GeoPoint p) =>
        p.Latitude >= MinLatitude && p.Latitude <= MaxLatitude && p.Longitude >= MinLongitude && p.Longitude <= MaxLongitude;
}
