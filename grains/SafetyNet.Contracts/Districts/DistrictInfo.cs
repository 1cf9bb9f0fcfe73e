using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Districts;

/// <summary>A served district (one of Seoul's 25 gu, or a local government of a configured nation), keyed by its KOSTAT code.</summary>
[GenerateSerializer, Immutable, Alias("district-info")]
public sealed record DistrictInfo(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string NameEnglish,
    [property: Id(3)] GeoPoint Centroid,
    [property: Id(4)] double AreaKm2,
    [property: Id(5)] int CrimePreventionCctv2016,
    [property: Id(6)] int CameraCount);
