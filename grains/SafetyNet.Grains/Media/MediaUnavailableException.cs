using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Media;

/// <summary>The camera gave no picture in time: unreachable, silent, or not sending video.</summary>
/// <param name="reason">A code a console words for its operator (<see cref="Contracts.Errors.RefusalReasons"/>) where one says more than "no picture".</param>
/// <param name="cause">Why, as a camera offline for it would say (<see cref="CameraStatusCauses"/>).</param>
public sealed class MediaUnavailableException(string cameraId, string message, string? reason = null, string cause = CameraStatusCauses.NoPicture) : Exception(message)
{
    public string CameraId { get; } = cameraId;

    public string? Reason { get; } = reason;

    public string Cause { get; } = cause;
}
