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
/// Why a camera has its status: an operator whose view stopped "camera offline" reads the cause (a changed certificate, an
/// address that does not answer) and when the node tries it again; its district has an offline camera checked at once.
/// </summary>
public static class CameraStatusEndpoints
{
    public static void MapCameraStatusEndpoints(this IEndpointRouteBuilder api)
    {
        var status = api.MapGroup("/cameras/{id}/status").WithTags("Cameras");
        status.MapGet("/", Get).RequireAuthorization(Policies.AnyRole)
            .WithSummary("The camera's status, since when, who set it (relay, admin, import, masks-guard, stream-url-policy), why it is offline, and when the node next tries it");
        status.MapPost("/check", Check).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithSummary("Try an offline camera for a picture now: online again when it gives one, else the cause (audited)");
    }

    private static async Task<Results<Ok<CameraStatusReport>, ProblemHttpResult>> Get(string id, IGrainFactory grains) =>
        await grains.GetGrain<ICameraGrain>(id).GetStatusReportAsync() is { } report
            ? TypedResults.Ok(report)
            : Problems.NotFound($"There is no camera with id '{id}'.");

    private static async Task<Results<Ok<CameraCheck>, ProblemHttpResult>> Check(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await DistrictScope.RefuseCameraAsync(id, user, grains) is { } refusal) return refusal;
        return TypedResults.Ok(await grains.GetGrain<ICameraGrain>(id).CheckNowAsync(user.ToOperator().Actor));
    }
}
