using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Districts;

[GenerateSerializer, Alias("district-state")]
public sealed class DistrictState
{
    [Id(0)] public SharingPolicy? Policy { get; set; }
    [Id(1)] public Dictionary<string, CameraInfo> Cameras { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public long CatalogVersion { get; set; }

    /// <summary>The fingerprint of each masked camera's masks as last set (<see cref="Cameras.MasksDigest"/>); not in the catalog, which every node indexes.</summary>
    [Id(3)] public Dictionary<string, string> MasksDigests { get; set; } = new(StringComparer.Ordinal);
}
