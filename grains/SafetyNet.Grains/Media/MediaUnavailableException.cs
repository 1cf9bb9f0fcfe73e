namespace SafetyNet.Grains.Media;

/// <summary>The camera gave no picture in time: unreachable, silent, or not sending video.</summary>
/// <param name="reason">A code a console words for its operator (<see cref="Contracts.Errors.RefusalReasons"/>) where one says more than "no picture".</param>
public sealed class MediaUnavailableException(string cameraId, string message, string? reason = null) : Exception(message)
{
    public string CameraId { get; } = cameraId;

    public string? Reason { get; } = reason;
}
