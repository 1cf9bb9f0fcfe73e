namespace SafetyNet.Contracts.Media;

/// <summary>
/// One viewer's place in a camera's low-latency stream: first the init segment, then fragments from a keyframe on, through a
/// bounded queue (a viewer that falls behind skips to the next keyframe; it never makes the node hold more).
/// </summary>
public interface ILiveView : IDisposable
{
    /// <summary>The next chunk, or null once the stream has ended for this viewer (see <see cref="EndReason"/>).</summary>
    ValueTask<LiveChunk?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many fragments after the init segment were cached when the viewer joined: they arrive at once and lie behind the
    /// live edge, so a player knows when it has reached live.
    /// </summary>
    int Backlog { get; }

    /// <summary>Why the stream ended ("relay-stopped", "relay-restarted"), once it has.</summary>
    string? EndReason { get; }
}
