using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Media;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Endpoints;

/// <summary>
/// A camera's privacy masks: drawn, replaced and cleared by whoever manages its district; the polygons are read by them and
/// by auditors, while everyone else learns only that (and how much of) the camera is masked.
/// </summary>
public static class MaskEndpoints
{
    public static void MapMaskEndpoints(this IEndpointRouteBuilder api)
    {
        var masks = api.MapGroup("/cameras/{id}/masks").WithTags("Cameras");
        masks.MapGet("/", Get).RequireAuthorization(Policies.AnyRole)
            .WithSummary("The camera's privacy masks: polygons for its district's admins and auditors; for everyone else only whether it is masked");
        masks.MapPut("/", Put).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithSummary("Replace the camera's privacy masks (polygons of 3+ points, x and y fractions 0-1 of the frame); viewers without the unmasked right see them filled");
        masks.MapGet("/frame", Frame).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithSummary("A JPEG of the camera without its masks, stamped and audited like a snapshot, for its district's admin to draw masks on");
        masks.MapDelete("/", Clear).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithSummary("Remove the camera's privacy masks; it is served as the camera sends it again");
    }

    private static async Task<Results<Ok<MaskView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var camera = grains.GetGrain<ICameraGrain>(id);
        if (await camera.GetAsync() is not { } info) return Problems.NotFound($"There is no camera with id '{id}'.");
        var masks = await camera.GetMasksAsync();
        var mayReadPolygons = user.IsInRole(Roles.Auditor) || await DistrictScope.ManagesAsync(user, info.DistrictCode, grains);
        return TypedResults.Ok(MaskView.From(masks, mayReadPolygons));
    }

    private static Task<Results<Ok<MaskView>, ProblemHttpResult>> Put(string id, MaskBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        body?.Polygons is { } polygons ? SetAsync(id, polygons, user, grains) : Task.FromResult<Results<Ok<MaskView>, ProblemHttpResult>>(
            Problems.BadRequest("The body must be {\"polygons\":[{\"points\":[{\"x\":0.1,\"y\":0.2}, ...]}, ...]}; DELETE clears the masks."));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Frame(string id, ClaimsPrincipal user, IGrainFactory grains, HttpResponse response)
    {
        var camera = grains.GetGrain<ICameraGrain>(id);
        if (await camera.GetAsync() is not { } info) return Problems.NotFound($"There is no camera with id '{id}'.");
        // The platform's operators never view video: they can set masks through the API, but not see the picture.
        if (user.IsInRole(Roles.PlatformAdmin) || !await DistrictScope.ManagesAsync(user, info.DistrictCode, grains))
            return Problems.Forbidden($"Only an admin of district {info.DistrictCode} sees camera '{id}' to draw its masks.");
        var principal = user.ToOperator();
        var frame = await camera.MaskEditingFrameAsync(principal.AgencyId, principal.Actor);
        SnapshotHeaders.Write(response.Headers, frame);
        return TypedResults.File(frame.Jpeg, "image/jpeg");
    }

    private static Task<Results<Ok<MaskView>, ProblemHttpResult>> Clear(string id, ClaimsPrincipal user, IGrainFactory grains) => SetAsync(id, [], user, grains);

    private static async Task<Results<Ok<MaskView>, ProblemHttpResult>> SetAsync(string id, MaskPolygon[] polygons, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await DistrictScope.RefuseCameraAsync(id, user, grains) is { } refusal) return refusal;
        return TypedResults.Ok(MaskView.From(await grains.GetGrain<ICameraGrain>(id).SetMasksAsync(polygons, user.ToOperator().Actor), mayReadPolygons: true));
    }
}
