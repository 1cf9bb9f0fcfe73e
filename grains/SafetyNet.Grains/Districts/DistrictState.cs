using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Districts;

[GenerateSerializer, Alias("district-state")]
public sealed class DistrictState
{
    [Id(0)] public SharingPolicy? Policy { get; set; }
    [Id(1)] public Dictionary<string, CameraInfo> Cameras { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public long CatalogVersion { get; set; }
}
