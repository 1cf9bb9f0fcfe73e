namespace SafetyNet.Contracts.Cameras;

/// <summary>What a district's check of an offline camera found: a picture (it is online again) or none, and why not.</summary>
/// <param name="Cause">Why the camera gave no picture (<see cref="CameraStatusCauses"/>); null when it gave one.</param>
[GenerateSerializer, Immutable, Alias("camera-check")]
public sealed record CameraCheck(
    [property: Id(0)] bool GavePicture,
    [property: Id(1)] string? Cause,
    [property: Id(2)] CameraStatusReport Status);
