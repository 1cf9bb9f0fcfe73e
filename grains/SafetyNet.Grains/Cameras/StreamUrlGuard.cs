using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Configuration;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// The camera grain's check before it asks for a relay or a one-shot snapshot: the same rules as when the URL was stored,
/// with the host name resolved, so that a refused URL (a name resolving to loopback, a URL stored by an older version)
/// takes the camera offline with the reason in the ledger and answers the caller at once. Each ffmpeg run checks again
/// and connects only to what it checked (<see cref="Media.Uplink.CameraUplinks"/>). Generated (lavfi) input passes only
/// if it is exactly the configured demo source.
/// </summary>
public sealed class StreamUrlGuard(IOptions<StreamUrlOptions> policy, IOptions<DemoOptions> demo)
{
    /// <summary>Why the node must not fetch this URL, or null when it may. Throws 503 when the host does not resolve now.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken cancellationToken)
    {
        if (StreamUrls.IsGenerated(url))
            return url == demo.Value.StreamUrl ? null : "lavfi: input is allowed only for the demo cameras' configured source (Demo:StreamUrl).";
        try
        {
            return (await StreamHost.ResolveAsync(url, policy.Value, cancellationToken)).Refusal;
        }
        catch (SocketException)
        {
            throw DomainException.Unavailable("The camera's stream host name does not resolve right now; try again shortly.");
        }
    }
}
