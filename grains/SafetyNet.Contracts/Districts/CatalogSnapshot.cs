using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Contracts.Districts;

/// <summary>A district's whole camera list at one catalog version; silos rebuild their index from these.</summary>
[GenerateSerializer, Immutable, Alias("catalog-snapshot")]
public sealed record CatalogSnapshot([property: Id(0)] string DistrictCode, [property: Id(1)] long Version, [property: Id(2)] CameraInfo[] Cameras);
