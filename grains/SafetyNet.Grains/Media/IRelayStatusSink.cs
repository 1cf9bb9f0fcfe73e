namespace SafetyNet.Grains.Media;

/// <summary>Told when a camera's relay finds the camera gone (after repeated failed starts) or back (segments flowing again).</summary>
public interface IRelayStatusSink
{
    Task OnCameraStatusAsync(string cameraId, bool online);
}
