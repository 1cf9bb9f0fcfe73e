using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Media;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Api.Endpoints;

public static class MediaEndpoints
{
    private const string Playlist = "index.m3u8";

    /// <summary>
    /// HLS for players: authorised on every request by the lease's media token, not by a bearer token, and by the camera's
    /// current answer for that lease, so one URL plays across renewals and stops at the next request once the right ends.
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
        var check = await grains.GetGrain<ICameraGrain>(cameraId).CheckLeaseAsync(claims.LeaseId, claims.SessionId, file == Playlist);
        if (!check.Active) return LeaseRefusal.Ended(check);
        if (check.RelayNodeUrl is { } relayNode && !string.Equals(relayNode, files.PublicBaseUrl, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Redirect($"{relayNode.TrimEnd('/')}{http.Request.Path}{http.Request.QueryString}", permanent: false, preserveMethod: true);
        var path = files.ResolveFile(cameraId, file, check.Rendition);
        if (path is null && file == Playlist)
        {
            // A cold camera: the first request waits for the stream's first segment rather than sending the player to poll.
            var wait = await files.AwaitPlaylistAsync(cameraId, check.Rendition, http.RequestAborted);
            if (wait.Path is null)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(wait.Detail, statusCode: 503, title: "Stream not ready", extensions: new Dictionary<string, object?> { ["reason"] = wait.Reason });
            }
            path = wait.Path;
        }
        if (path is null) return Problems.NotFound($"No such media file '{file}'.");
        http.Response.Headers.CacheControl = "no-store";
        if (file != Playlist) return TypedResults.PhysicalFile(path, file.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "video/mp2t");
        return TypedResults.Text(WithToken(await File.ReadAllTextAsync(path), token!), "application/vnd.apple.mpegurl", Encoding.UTF8);
    }

    /// <summary>Segment URIs in the playlist carry the token too, since players request them relative to the playlist.</summary>
    private static string WithToken(string playlist, string token)
    {
        var lines = playlist.Split('\n').Select(line =>
            line.Length == 0 || line.StartsWith('#') ? line : $"{line.TrimEnd('\r')}?token={Uri.EscapeDataString(token)}");
        return string.Join('\n', lines);
    }
}
