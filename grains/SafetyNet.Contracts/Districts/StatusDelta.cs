using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Contracts.Districts;

/// <summary>One camera's status as of a district's status sequence number.</summary>
[GenerateSerializer, Immutable, Alias("camera-status-change")]
public sealed record CameraStatusChange([property: Id(0)] string CameraId, [property: Id(1)] CameraStatus Status);

/// <summary>
/// A district's status changes after a sequence number the caller already holds, up to <see cref="Seq"/>. When the caller
/// is too far behind for the district's bounded log, <see cref="Reset"/> is set and <see cref="Changes"/> lists every
/// camera that is not online: all the district's other cameras are online.
/// </summary>
[GenerateSerializer, Immutable, Alias("status-delta")]
public sealed record StatusDelta(
    [property: Id(0)] string DistrictCode,
    [property: Id(1)] long Seq,
    [property: Id(2)] bool Reset,
    [property: Id(3)] CameraStatusChange[] Changes);
