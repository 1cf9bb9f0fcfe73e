using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Media;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// Turns a relay's view of its camera (repeated failures, recovery) into the camera's status, which dashboards then see, and an
/// encode that gave way on a busy node into the end of its viewers' leases.
/// Only while the silo is active: a relay that reaches its first segment, or gives up, while the node is leaving would call
/// a camera grain on a silo that takes no more calls (logged as errors by Orleans and here); the camera's next relay, on
/// whichever node, reports its status again.
/// </summary>
public sealed class RelayStatusToCamera(IGrainFactory grains, ILogger<RelayStatusToCamera> logger) : IRelayStatusSink, ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _active;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RelayStatusToCamera), ServiceLifecycleStage.Active, _ => SetActive(true), _ => SetActive(false));

    public Task OnCameraStatusAsync(string cameraId, bool online, string? cause)
    {
        if (_active) return grains.GetGrain<ICameraGrain>(cameraId).SetStatusAsync(online ? CameraStatus.Online : CameraStatus.Offline, CameraStatusSetters.Relay, cause);
        logger.LogInformation("Camera {CameraId} is {Status}; not reported, as this node is not serving (starting or leaving)", cameraId, online ? "online" : "offline");
        return Task.CompletedTask;
    }

    public Task OnEncodeYieldedAsync(string cameraId, IReadOnlyList<string> leaseIds, string forCameraId)
    {
        if (_active) return grains.GetGrain<ICameraGrain>(cameraId).EncodeYieldedAsync([.. leaseIds], forCameraId);
        logger.LogInformation("Camera {CameraId}'s encode gave way to camera {ForCameraId}'s; its viewers are not told, as this node is not serving (starting or leaving)",
            cameraId, forCameraId);
        return Task.CompletedTask;
    }

    private Task SetActive(bool active)
    {
        _active = active;
        return Task.CompletedTask;
    }
}
