using SafetyNet.Contracts.Media;
using SafetyNet.Api.Media;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Media;

namespace SafetyNet.Silo.Hosting;

/// <summary>The media endpoints' view of this node's relays.</summary>
public sealed class RelayMediaFiles(RelayHost relays, NodeEndpoint node) : IMediaFiles
{
    public string? ResolveFile(string cameraId, string fileName, MediaRendition rendition) => relays.ResolveFile(cameraId, fileName, rendition);

    public ILiveView? WatchLive(string cameraId, MediaRendition rendition) => relays.WatchLive(cameraId, rendition);

    public string? PublicBaseUrl => node.PublicBaseUrl;
}
