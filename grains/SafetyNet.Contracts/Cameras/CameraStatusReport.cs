namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// Why a camera has its status: an operator whose view stopped "camera offline", and the district that must act on it, see
/// since when, who set it, the cause where one is known, and when the node tries an offline camera again by itself.
/// </summary>
/// <param name="Since">When the status was last set; null when the camera has kept the status it was registered with.</param>
/// <param name="SetBy">A <see cref="CameraStatusSetters"/> value; null with <paramref name="Since"/>.</param>
/// <param name="Cause">A <see cref="CameraStatusCauses"/> code while the camera is offline, where one is known.</param>
/// <param name="NextCheckAt">When the node next tries the camera for a picture: only for a camera its relay took offline.</param>
[GenerateSerializer, Immutable, Alias("camera-status-report")]
public sealed record CameraStatusReport(
    [property: Id(0)] string CameraId,
    [property: Id(1)] CameraStatus Status,
    [property: Id(2)] DateTimeOffset? Since = null,
    [property: Id(3)] string? SetBy = null,
    [property: Id(4)] string? Cause = null,
    [property: Id(5)] DateTimeOffset? NextCheckAt = null);
