using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Media;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Api.Endpoints;

public static class MediaEndpoints
{
    private const string Playlist = "index.m3u8";
    private const string WindowPlaylist = "window.m3u8";

    /// <summary>
    /// HLS for players: authorised on every request by the lease's media token, not by a bearer token, and by the camera's
    /// current answer for that lease, so one URL plays across renewals and stops at the next request once the right ends.
    /// index.m3u8 is the live window; window.m3u8, and segments older than the live window, only for a lease the camera
    /// answers holds the recorded-video right (after an audited rewind).
    /// </summary>
    public static void MapMediaEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/media/{cameraId}/{file}", Serve).AllowAnonymous().WithTags("Video")
            .WithSummary("The camera's HLS playlist and segments; ?token= from the lease");
    }

    private static async Task<IResult> Serve(string cameraId, string file, string? token, HttpContext http, IGrainFactory grains, MediaTokens tokens, IMediaFiles files)
    {
        if (tokens.Validate(token, cameraId, out var problem) is not { } claims)
            return TypedResults.Problem(problem, statusCode: 403, title: "Media access denied");
        var playlist = file is Playlist or WindowPlaylist;
        var check = await grains.GetGrain<ICameraGrain>(cameraId).CheckLeaseAsync(claims.LeaseId, claims.SessionId, playlist);
        if (!check.Active) return LeaseRefusal.Ended(check);
        if (check.RelayNodeUrl is { } relayNode && !string.Equals(relayNode, files.PublicBaseUrl, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Redirect($"{relayNode.TrimEnd('/')}{http.Request.Path}{http.Request.QueryString}", permanent: false, preserveMethod: true);
        if (file == WindowPlaylist && !check.RecordedVideo)
            return TypedResults.Problem($"The rewind window needs an audited rewind first (POST /api/v1/leases/{{id}}/rewind) by a lease with the right: " +
                DecisionReasons.Explain(DecisionReasons.RecordedVideoNotAllowed), statusCode: 403, title: "Media access denied",
                extensions: new Dictionary<string, object?> { ["reason"] = DecisionReasons.RecordedVideoNotAllowed });
        http.Response.Headers.CacheControl = "no-store";
        if (playlist)
        {
            // Segment URIs carry the token too, since players request them relative to the playlist.
            var escaped = Uri.EscapeDataString(token!);
            string? Text() => files.Playlist(cameraId, check.Rendition, file == WindowPlaylist, name => $"{name}?token={escaped}");
            if (Text() is { } text) return TypedResults.Text(text, "application/vnd.apple.mpegurl", Encoding.UTF8);
            // A cold camera: the first request waits for the stream's first segment rather than sending the player to poll.
            var wait = await files.AwaitPlaylistAsync(cameraId, check.Rendition, http.RequestAborted);
            if (wait.Path is not null && Text() is { } ready) return TypedResults.Text(ready, "application/vnd.apple.mpegurl", Encoding.UTF8);
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(wait.Detail, statusCode: 503, title: "Stream not ready", extensions: new Dictionary<string, object?> { ["reason"] = wait.Reason });
        }
        if (files.ResolveFile(cameraId, file, check.Rendition, window: check.RecordedVideo) is not { } path)
            return Problems.NotFound($"No such media file '{file}'.");
        return TypedResults.PhysicalFile(path, "video/mp2t");
    }
}
