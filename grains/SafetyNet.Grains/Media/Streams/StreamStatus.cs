namespace SafetyNet.Grains.Media.Streams;

/// <summary>A stream as an on-call engineer or a waiting request sees it.</summary>
/// <param name="RetryAt">In <see cref="StreamState.Backoff"/>: when the next start is due.</param>
public sealed record StreamStatus(string CameraId, StreamState State, int ConsecutiveFailures, DateTimeOffset? RetryAt, int Consumers)
{
    public static StreamStatus None(string cameraId) => new(cameraId, StreamState.Idle, 0, null, 0);

    public bool IsServing => State.IsServing();
}
