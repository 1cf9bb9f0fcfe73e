using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Districts;

/// <summary>
/// A district's camera statuses, stored apart from its catalog: only the cameras that are not online (a few percent), and
/// the sequence number of the last change. Small, so a relay's status flap writes a few hundred bytes, not the catalog.
/// </summary>
[GenerateSerializer, Alias("district-status-state")]
public sealed class DistrictStatusState
{
    [Id(0)] public Dictionary<string, CameraStatus> NotOnline { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public long Seq { get; set; }
}
