using SafetyNet.Contracts.Access;

namespace SafetyNet.Grains.Cameras;

[GenerateSerializer, Alias("camera-state")]
public sealed class CameraState
{
    /// <summary>Remembered so that the camera finds its catalog entry even before the local index has loaded.</summary>
    [Id(0)] public string? DistrictCode { get; set; }

    [Id(1)] public List<AccessGrant> Grants { get; set; } = [];
}
