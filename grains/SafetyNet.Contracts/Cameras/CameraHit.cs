namespace SafetyNet.Contracts.Cameras;

/// <summary>One answer of a spatial query: the camera and how far and in which direction it lies from the query point.</summary>
[GenerateSerializer, Immutable, Alias("camera-hit")]
public sealed record CameraHit(
    [property: Id(0)] CameraInfo Camera,
    [property: Id(1)] double DistanceMeters,
    [property: Id(2)] double BearingDegrees);
