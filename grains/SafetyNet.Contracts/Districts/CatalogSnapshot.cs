using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Contracts.Districts;

/// <summary>
/// A district's whole camera list at one catalog version; silos rebuild their index from these. The cameras carry their
/// status as of <see cref="StatusSeq"/>; later status changes travel as <see cref="StatusDelta"/>s.
/// </summary>
[GenerateSerializer, Immutable, Alias("catalog-snapshot")]
public sealed record CatalogSnapshot(
    [property: Id(0)] string DistrictCode,
    [property: Id(1)] long Version,
    [property: Id(2)] CameraInfo[] Cameras,
    [property: Id(3)] long StatusSeq = 0);
