namespace SafetyNet.Grains.Media;

/// <summary>The default sink until the silo registers one that updates the camera grain and the dashboards.</summary>
public sealed class NullRelayStatusSink : IRelayStatusSink
{
    public Task OnCameraStatusAsync(string cameraId, bool online, string? cause) => Task.CompletedTask;

    public Task OnEncodeYieldedAsync(string cameraId, IReadOnlyList<string> leaseIds, string forCameraId) => Task.CompletedTask;
}
