using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Media;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Endpoints;

public static class LiveMediaEndpoints
{
    /// <summary>
    /// The low-latency path: a WebSocket of fragmented MP4 for Media Source Extensions, authorised like HLS (the lease's media
    /// token and the camera's answer for that lease, re-checked while the socket is open; see <see cref="LiveSession"/>).
    /// </summary>
    public static void MapLiveMediaEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/media/{cameraId}/live", Watch).AllowAnonymous().WithTags("Video")
            .WithSummary("The camera's live stream as fragmented MP4 over a WebSocket; ?token= from the lease");
    }

    private static async Task<IResult> Watch(string cameraId, string? token, HttpContext http, IGrainFactory grains, MediaTokens tokens, IMediaFiles files,
        ILoggerFactory loggers)
    {
        if (tokens.Validate(token, cameraId, out var problem) is not { } claims)
            return TypedResults.Problem(problem, statusCode: 403, title: "Media access denied");
        if (!http.WebSockets.IsWebSocketRequest)
            return Problems.BadRequest("This is a WebSocket endpoint: connect with a WebSocket client (ws:// or wss://), or play the lease's HLS playlist.");
        // The token sits in the URL, so a page on another site that got hold of the URL could open the socket with the
        // viewer's network position (cross-site WebSocket hijacking). Browsers always send Origin: only this node's own pages
        // may use the socket; clients that are not browsers send none.
        if (http.Request.Headers.Origin is [{ } origin] && !IsOwnOrigin(origin, http, files))
            return Problems.Forbidden($"WebSocket connections from pages of '{origin}' are not accepted; only this node's own dashboard may open the live stream.");
        var camera = grains.GetGrain<ICameraGrain>(cameraId);
        var check = await camera.CheckLeaseAsync(claims.LeaseId, claims.SessionId, playlistRequest: true);
        if (!check.Active) return LeaseRefusal.Ended(check);
        // A WebSocket handshake cannot follow a redirect, and proxying would carry every fragment through two nodes and keep
        // this node in a stream it has no part in. So the client is told where the relay runs (421 Misdirected Request, with
        // the URL to connect to), as the HLS path redirects; the dashboard falls back to HLS, which follows the redirect.
        if (check.RelayNodeUrl is { } relayNode && !string.Equals(relayNode, files.PublicBaseUrl, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem($"The camera's relay runs on {relayNode}; connect there.", statusCode: 421, title: "Misdirected request",
                extensions: new Dictionary<string, object?> { ["liveUrl"] = $"{relayNode.TrimEnd('/')}{http.Request.Path}{http.Request.QueryString}" });
        if (files.WatchLive(cameraId, check.Rendition) is not { } view)
            return TypedResults.Problem("The camera's relay is not running on this node yet; retry shortly.", statusCode: 503, title: "Relay starting");
        using (view)
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            await new LiveSession(socket, view, camera, claims, check.Rendition, loggers.CreateLogger<LiveSession>()).RunAsync(http.RequestAborted);
        }
        return TypedResults.Empty;
    }

    private static bool IsOwnOrigin(string origin, HttpContext http, IMediaFiles files) =>
        string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase)
        || (files.PublicBaseUrl is { } publicUrl && Uri.TryCreate(publicUrl, UriKind.Absolute, out var node)
            && string.Equals(origin, node.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
}
