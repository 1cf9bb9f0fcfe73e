namespace SafetyNet.Contracts.Agencies;

/// <summary>An agency that may view video. <see cref="Districts"/> is its jurisdiction unless <see cref="CityWide"/>.</summary>
[GenerateSerializer, Immutable, Alias("agency-info")]
public sealed record AgencyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] AgencyKind Kind,
    [property: Id(3)] bool CityWide,
    [property: Id(4)] string[] Districts)
{
    public bool HasJurisdictionOver(string districtCode) => CityWide || Districts.Contains(districtCode);
}
