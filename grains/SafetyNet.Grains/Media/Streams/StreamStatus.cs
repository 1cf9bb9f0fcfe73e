using SafetyNet.Grains.Media.Uplink;

namespace SafetyNet.Grains.Media.Streams;

/// <summary>A stream as an on-call engineer or a waiting request sees it.</summary>
/// <param name="RetryAt">In <see cref="StreamState.Backoff"/>: when the next start is due.</param>
/// <param name="LastCut">Why the node cut its connection to the camera in the last run, if it did (a redirect, a changed certificate).</param>
public sealed record StreamStatus(string CameraId, StreamState State, int ConsecutiveFailures, DateTimeOffset? RetryAt, int Consumers, UplinkCut? LastCut = null)
{
    public static StreamStatus None(string cameraId) => new(cameraId, StreamState.Idle, 0, null, 0);

    public bool IsServing => State.IsServing();
}
