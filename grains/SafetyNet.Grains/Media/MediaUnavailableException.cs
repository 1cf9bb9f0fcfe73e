namespace SafetyNet.Grains.Media;

/// <summary>The camera gave no picture in time: unreachable, silent, or not sending video.</summary>
public sealed class MediaUnavailableException(string cameraId, string message) : Exception(message)
{
    public string CameraId { get; } = cameraId;
}
