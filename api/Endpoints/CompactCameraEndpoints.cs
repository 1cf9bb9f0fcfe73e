using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Contracts;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Endpoints;

/// <summary>
/// Every camera in one small response, for drawing the city's map at sign-in: parallel columns, compressed, cached per
/// catalog version and revalidated by ETag. Carries what the map draws and colours, never a stream URL.
/// </summary>
public static class CompactCameraEndpoints
{
    public static void MapCompactCameraEndpoints(this IEndpointRouteBuilder api) =>
        api.MapGet("/cameras/compact", Get).WithTags("Cameras").RequireAuthorization(Policies.AnyRole)
            .Produces<CompactCameraColumns>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("Every camera as parallel columns (ids, lat, lon, district, purpose, status; no stream URLs), " +
                         "brotli or gzip when accepted, with an ETag; for drawing the whole map in one request");

    private static async Task<IResult> Get(HttpContext http, IGrainFactory grains, CompactCameraBodies bodies)
    {
        var body = bodies.For(await grains.GetGrain<ISpatialQueryGrain>(0).CompactAsync());
        var encoding = CompactCameraBodies.PreferredEncoding(http.Request.GetTypedHeaders().AcceptEncoding);
        var (bytes, etag) = body.Encoded(encoding);
        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        // Authenticated data: only the caller's own browser may keep it, and must ask (If-None-Match) before reusing it.
        http.Response.Headers.CacheControl = "private, no-cache";
        if (encoding is not null) http.Response.Headers.ContentEncoding = encoding;
        return Results.Bytes(bytes, "application/json", entityTag: new EntityTagHeaderValue(etag));
    }
}
