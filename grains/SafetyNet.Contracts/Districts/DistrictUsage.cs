namespace SafetyNet.Contracts.Districts;

/// <summary>How a district's cameras are being used, since the district grain last activated.</summary>
[GenerateSerializer, Immutable, Alias("district-usage")]
public sealed record DistrictUsage(
    [property: Id(0)] int Cameras,
    [property: Id(1)] int CamerasOnline,
    [property: Id(2)] int CamerasOffline,
    [property: Id(3)] int CamerasInMaintenance,
    [property: Id(4)] int PolicyVersion);
