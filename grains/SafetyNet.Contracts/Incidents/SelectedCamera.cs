using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Contracts.Incidents;

/// <summary>A camera chosen for an incident; <see cref="Facing"/> is false when its field of view points away from the scene.</summary>
[GenerateSerializer, Immutable, Alias("selected-camera")]
public sealed record SelectedCamera(
    [property: Id(0)] string CameraId,
    [property: Id(1)] string DistrictCode,
    [property: Id(2)] CameraPurpose Purpose,
    [property: Id(3)] double DistanceMeters,
    [property: Id(4)] double BearingDegrees,
    [property: Id(5)] bool Facing,
    [property: Id(6)] double Latitude,
    [property: Id(7)] double Longitude);
