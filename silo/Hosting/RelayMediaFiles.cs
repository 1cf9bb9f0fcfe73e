using SafetyNet.Contracts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Media;
using SafetyNet.Api.Media;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;

namespace SafetyNet.Silo.Hosting;

/// <summary>The media endpoints' view of this node's relays.</summary>
public sealed class RelayMediaFiles(RelayHost relays, NodeEndpoint node, TimeProvider clock) : IMediaFiles
{
    /// <summary>A stream still starting (or not started) is usually ready within a keyframe interval or two.</summary>
    private static readonly TimeSpan RetrySoon = TimeSpan.FromSeconds(2);

    public string? ResolveFile(string cameraId, string fileName, MediaRendition rendition, bool window) => relays.ResolveFile(cameraId, fileName, rendition, window);

    public string? Playlist(string cameraId, MediaRendition rendition, bool window, Func<string, string> uri) =>
        relays.ReadPlaylist(cameraId, rendition, window)?.Write(uri);

    public async Task<PlaylistWait> AwaitPlaylistAsync(string cameraId, MediaRendition rendition, CancellationToken cancellationToken)
    {
        var (playlist, status) = await relays.AwaitPlaylistAsync(cameraId, rendition, cancellationToken);
        if (playlist is not null) return PlaylistWait.Ready(playlist);
        return status switch
        {
            // Whether the next attempt waits or runs, what stopped the last one says more than either (a changed certificate).
            { LastCut: { RefusalReason: { } reason } cut } => new PlaylistWait(null, reason, cut.Reason, status.RetryAt is { } next ? Until(next) : RetrySoon),
            { State: StreamState.Backoff, RetryAt: { } retryAt } => new PlaylistWait(null, RefusalReasons.StreamFailed,
                $"The camera's stream failed {status.ConsecutiveFailures} time(s) in a row; the next attempt is at {retryAt:HH:mm:ss} UTC.", Until(retryAt)),
            { State: StreamState.Idle } => new PlaylistWait(null, RefusalReasons.StreamIdle, "The camera's stream is not running on this node; retry to start it.", RetrySoon),
            _ => new PlaylistWait(null, RefusalReasons.StreamStarting,
                $"The camera's stream did not produce its first segment within {relays.FirstRequestWait.TotalSeconds:0.#} s; it is still {EnumNames<StreamState>.NameOf(status.State)}.", RetrySoon),
        };
    }

    /// <summary>Retry-After for a stream in backoff: until its next attempt, a second at least.</summary>
    private TimeSpan Until(DateTimeOffset retryAt) => TimeSpan.FromTicks(Math.Max((retryAt - clock.GetUtcNow()).Ticks, TimeSpan.TicksPerSecond));

    public ILiveView? WatchLive(string cameraId, MediaRendition rendition) => relays.WatchLive(cameraId, rendition);

    public string? PublicBaseUrl => node.PublicBaseUrl;
}
