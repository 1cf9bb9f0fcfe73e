using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Endpoints;

/// <summary>
/// The certificates a camera was pinned to on first use (Media:StreamUrls:CameraCertificates = first-use), one for each host
/// and port the node reaches it at over TLS: its RTSPS or HTTPS stream, its ONVIF device. A camera presenting another there
/// is cut off; its district compares the refused fingerprint with the camera's own page, and forgets that pin when the camera
/// was re-keyed, so that the next connection learns the new one.
/// </summary>
public static class CameraCertificatePinsEndpoints
{
    /// <summary>Longer than any host and port; a longer value names no pin.</summary>
    private const int MaxAuthorityLength = 300;

    public static void MapCameraCertificatePinsEndpoints(this IEndpointRouteBuilder api)
    {
        var pins = api.MapGroup("/cameras/{id}/certificate-pins").WithTags("Cameras").RequireAuthorization(Policies.DistrictManager);
        pins.MapGet("/", Get).WithSummary("The certificates the camera was pinned to on first use, each with the last other one it presented there (refused) and what the camera is reached for there (stream, onvif)");
        pins.MapDelete("/", Forget).WritesAudit()
            .WithSummary("Forget the camera's pin at one host and port (?authority=host:port), or all its pins, once you have checked it was re-keyed: the next connection pins what it presents");
    }

    private static async Task<Results<Ok<CertificatePinView[]>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (camera, refusal) = await DistrictScope.ManagedCameraAsync(id, user, grains);
        if (refusal is not null) return refusal;
        // The camera's URLs say what each pin is for; they go no further than the two services' names.
        return TypedResults.Ok(CertificatePinView.Of(await grains.GetGrain<ICameraCertificatePinGrain>(id).GetAsync(), camera!));
    }

    private static async Task<Results<Ok<CameraCertificatePin[]>, ProblemHttpResult>> Forget(string id, string? authority, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await DistrictScope.RefuseCameraAsync(id, user, grains) is { } refusal) return refusal;
        if (authority is not null && (string.IsNullOrWhiteSpace(authority) || authority.Length > MaxAuthorityLength))
            return Problems.BadRequest($"authority is the host and port of a pin (as GET lists it), at most {MaxAuthorityLength} characters; leave it out to forget every pin of the camera.");
        var forgotten = await grains.GetGrain<ICameraCertificatePinGrain>(id).ForgetAsync(user.ToOperator().Actor, authority);
        return forgotten.Length > 0 ? TypedResults.Ok(forgotten) : Problems.NotFound(authority is null
            ? $"No certificate is pinned for camera '{id}': it is reached over plain RTSP or HTTP, the node has not reached it since its pins were forgotten, or certificates are not checked on first use."
            : $"No certificate is pinned for camera '{id}' at '{authority}': GET /api/v1/cameras/{id}/certificate-pins lists where one is.");
    }
}
