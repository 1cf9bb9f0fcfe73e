using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Media;

namespace SafetyNet.Grains.Cameras;

/// <summary>Turns a relay's view of its camera (repeated failures, recovery) into the camera's status, which dashboards then see.</summary>
public sealed class RelayStatusToCamera(IGrainFactory grains) : IRelayStatusSink
{
    public Task OnCameraStatusAsync(string cameraId, bool online) =>
        grains.GetGrain<ICameraGrain>(cameraId).SetStatusAsync(online ? CameraStatus.Online : CameraStatus.Offline, "relay");
}
