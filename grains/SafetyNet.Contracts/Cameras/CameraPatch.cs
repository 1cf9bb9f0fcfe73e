namespace SafetyNet.Contracts.Cameras;

/// <summary>A partial update of a camera; null members are left as they are.</summary>
[GenerateSerializer, Immutable, Alias("camera-patch")]
public sealed record CameraPatch(
    [property: Id(0)] CameraStatus? Status = null,
    [property: Id(1)] string? StreamUrl = null,
    [property: Id(2)] double? HeadingDegrees = null,
    [property: Id(3)] double? FieldOfViewDegrees = null,
    [property: Id(4)] bool? Ptz = null,
    [property: Id(5)] string? Name = null,
    [property: Id(6)] CameraPurpose? Purpose = null,
    [property: Id(7)] string? OnvifUrl = null);
