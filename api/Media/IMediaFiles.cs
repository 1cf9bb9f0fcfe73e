using SafetyNet.Contracts.Media;

namespace SafetyNet.Api.Media;

/// <summary>This node's relay output, as the media endpoints need it; implemented by the node over its relay host.</summary>
public interface IMediaFiles
{
    /// <summary>
    /// The file's path when this node's relay for the camera has it in the rendition the lease may fetch; null otherwise
    /// (never outside the camera's folder, never the original picture for a masked lease, and without
    /// <paramref name="window"/> never a segment older than the live window).
    /// </summary>
    string? ResolveFile(string cameraId, string fileName, MediaRendition rendition, bool window);

    /// <summary>The playlist a player gets, its segment names passed through <paramref name="uri"/>: the live window, or the whole rewind window; null when none is ready.</summary>
    string? Playlist(string cameraId, MediaRendition rendition, bool window, Func<string, string> uri);

    /// <summary>
    /// The playlist's path once the camera's stream on this node serves it in <paramref name="rendition"/>, waiting for a
    /// stream that is starting up to the node's first-request wait; otherwise why not and when to retry.
    /// </summary>
    Task<PlaylistWait> AwaitPlaylistAsync(string cameraId, MediaRendition rendition, CancellationToken cancellationToken);

    /// <summary>A new viewer of the camera's live stream (fragmented MP4) in the lease's rendition; null when no relay of it runs here.</summary>
    ILiveView? WatchLive(string cameraId, MediaRendition rendition);

    /// <summary>How viewers reach this node (Cluster:PublicBaseUrl), or null for "the node they already talk to".</summary>
    string? PublicBaseUrl { get; }
}
