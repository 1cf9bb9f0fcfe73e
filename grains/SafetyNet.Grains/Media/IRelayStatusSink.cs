namespace SafetyNet.Grains.Media;

/// <summary>
/// Told when a camera's relay finds the camera gone (after repeated failed starts) or back (segments flowing again), and when a
/// busy node stopped a camera's encode to make room for a more urgent one.
/// </summary>
public interface IRelayStatusSink
{
    /// <param name="cause">Why the camera is offline (<see cref="Contracts.Cameras.CameraStatusCauses"/>); null when online.</param>
    Task OnCameraStatusAsync(string cameraId, bool online, string? cause);

    /// <summary>The camera's relay was stopped so that <paramref name="forCameraId"/>'s encode could start: the leases of its viewers must end.</summary>
    Task OnEncodeYieldedAsync(string cameraId, IReadOnlyList<string> leaseIds, string forCameraId);
}
