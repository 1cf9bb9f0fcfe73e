using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Endpoints;

/// <summary>
/// The certificate an RTSPS or HTTPS camera was pinned to on first use (Media:StreamUrls:CameraCertificates = first-use). A
/// camera presenting another is cut off; its district compares the refused fingerprint with the camera's own page, and
/// forgets the pin when the camera was re-keyed, so that the next connection learns the new one.
/// </summary>
public static class CameraCertificatePinEndpoints
{
    public static void MapCameraCertificatePinEndpoints(this IEndpointRouteBuilder api)
    {
        var pins = api.MapGroup("/cameras/{id}/certificate-pin").WithTags("Cameras").RequireAuthorization(Policies.DistrictManager);
        pins.MapGet("/", Get).WithSummary("The certificate the camera was pinned to on first use, and the last other one it presented (refused)");
        pins.MapDelete("/", Forget).WritesAudit()
            .WithSummary("Forget the camera's pinned certificate once you have checked it was re-keyed: the next connection pins what it presents");
    }

    private static async Task<Results<Ok<CameraCertificatePin>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await DistrictScope.RefuseCameraAsync(id, user, grains) is { } refusal) return refusal;
        return await grains.GetGrain<ICameraCertificatePinGrain>(id).GetAsync() is { } pin
            ? TypedResults.Ok(pin)
            : NothingPinned(id);
    }

    private static async Task<Results<Ok<CameraCertificatePin>, ProblemHttpResult>> Forget(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await DistrictScope.RefuseCameraAsync(id, user, grains) is { } refusal) return refusal;
        return await grains.GetGrain<ICameraCertificatePinGrain>(id).ForgetAsync(user.ToOperator().Actor) is { } forgotten
            ? TypedResults.Ok(forgotten)
            : NothingPinned(id);
    }

    private static ProblemHttpResult NothingPinned(string id) => Problems.NotFound(
        $"No certificate is pinned for camera '{id}': it streams over plain RTSP or HTTP, the node has not reached it since its pin was forgotten, or certificates are not checked on first use.");
}
