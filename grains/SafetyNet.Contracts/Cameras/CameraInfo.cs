using System.Text.Json.Serialization;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// A camera as registered by its district: where it is, what it sees and how to pull its video. <see cref="OnvifUrl"/> is its
/// ONVIF device service (with user:password, like <see cref="StreamUrl"/>, and guarded the same way) when it can be turned.
/// <see cref="Masked"/> is the district's own note that the camera has privacy masks, and <see cref="MasksDigest"/> the
/// fingerprint of the masks last set: a camera whose record lost them, or holds others (deleted, or put back from an older
/// copy, in the database), is refused rather than served unmasked. The fingerprint is not shown to API callers.
/// </summary>
[GenerateSerializer, Immutable, Alias("camera-info")]
public sealed record CameraInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string DistrictCode,
    [property: Id(2)] GeoPoint Position,
    [property: Id(3)] CameraPurpose Purpose,
    [property: Id(4)] CameraStatus Status,
    [property: Id(5)] string StreamUrl,
    [property: Id(6)] double? HeadingDegrees = null,
    [property: Id(7)] double? FieldOfViewDegrees = null,
    [property: Id(8)] bool Ptz = false,
    [property: Id(9)] string? Name = null,
    [property: Id(10)] string? OnvifUrl = null,
    [property: Id(11)] bool Masked = false,
    [property: Id(12), JsonIgnore] string? MasksDigest = null);
