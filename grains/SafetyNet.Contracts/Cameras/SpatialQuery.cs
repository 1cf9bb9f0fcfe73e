using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Cameras;

/// <summary>Nearest cameras to <see cref="Center"/>, at most <see cref="Limit"/>, none farther than <see cref="RadiusMeters"/>.</summary>
[GenerateSerializer, Immutable, Alias("spatial-query")]
public sealed record SpatialQuery(
    [property: Id(0)] GeoPoint Center,
    [property: Id(1)] double RadiusMeters,
    [property: Id(2)] int Limit,
    [property: Id(3)] CameraPurpose? Purpose = null,
    [property: Id(4)] CameraStatus? Status = null);
