using SafetyNet.Contracts.Media;
using SafetyNet.Api.Media;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Media;

namespace SafetyNet.Silo.Hosting;

/// <summary>The media endpoints' view of this node's relays.</summary>
public sealed class RelayMediaFiles(RelayHost relays, NodeEndpoint node) : IMediaFiles
{
    public string? ResolveFile(string cameraId, string fileName, MediaRendition rendition, bool window) => relays.ResolveFile(cameraId, fileName, rendition, window);

    public string? Playlist(string cameraId, MediaRendition rendition, bool window, Func<string, string> uri) =>
        relays.ReadPlaylist(cameraId, rendition, window)?.Write(uri);

    public string? PublicBaseUrl => node.PublicBaseUrl;
}
