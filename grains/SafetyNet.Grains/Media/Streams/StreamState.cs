namespace SafetyNet.Grains.Media.Streams;

/// <summary>Where a camera's stream is in its life; see <see cref="CameraStreamMachine"/> for the transitions.</summary>
public enum StreamState
{
    /// <summary>No process, nobody wants it.</summary>
    Idle,
    /// <summary>The process runs but has not produced its first media yet.</summary>
    Starting,
    /// <summary>Media flows and at least one consumer holds the stream.</summary>
    Ready,
    /// <summary>Media flows but the last consumer left; the stream stops when the linger period ends unless one returns.</summary>
    Lingering,
    /// <summary>The process failed (exited while wanted); the next start waits out an exponential backoff.</summary>
    Backoff,
    /// <summary>The process was asked to stop and has not exited yet.</summary>
    Stopping,
}

public static class StreamStates
{
    /// <summary>Media flows: the playlist can be served.</summary>
    public static bool IsServing(this StreamState state) => state is StreamState.Ready or StreamState.Lingering;
}
