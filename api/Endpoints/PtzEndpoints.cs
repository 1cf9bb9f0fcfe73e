using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Ptz;

namespace SafetyNet.Api.Endpoints;

/// <summary>
/// Turning a camera: a separate right (an incident type that grants PTZ), on the caller's own open lease, under the camera's
/// PTZ lock. Every request is audited by the PTZ grain, refusals too.
/// </summary>
public static class PtzEndpoints
{
    public sealed record PtzMoveBody(double? Pan, double? Tilt, double? Zoom);

    public sealed record PtzPresetBody(string? Token);

    public static void MapPtzEndpoints(this IEndpointRouteBuilder api)
    {
        var ptz = api.MapGroup("/cameras/{id}/ptz").RequireAuthorization(Policies.Viewer).WritesAudit().WithTags("PTZ");
        ptz.MapGet("", Get).WithSummary("The camera's PTZ state for this session: can it be turned, does your lease carry the right, who holds the lock until when, its presets");
        ptz.MapPost("/lock", Lock).WithSummary("Take the camera's PTZ lock (needs your lease to carry the PTZ right). It lapses after Ptz:LockTimeout without a command " +
            "and ends with the lease; the camera then returns home. A higher-priority incident takes it over; otherwise 409 names the holder's agency and until when");
        ptz.MapDelete("/lock", Release).WithSummary("Give the PTZ lock back; the camera returns to its home position");
        ptz.MapPost("/move", Move).WithSummary("Continuous move at velocities pan, tilt (and zoom) in [-1, 1] until stop (or Ptz:MoveTimeout); needs the lock");
        ptz.MapPost("/stop", Stop).WithSummary("Stop moving; needs the lock");
        ptz.MapPost("/preset", Preset).WithSummary("Go to a preset by its token (GET .../ptz lists them); needs the lock");
        ptz.MapPost("/home", Home).WithSummary("Go to the home position; needs the lock");
    }

    private static Task<Results<Ok<PtzView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(grains.GetGrain<IPtzGrain>(id).GetAsync(user.ToOperator()));

    private static Task<Results<Ok<PtzView>, ProblemHttpResult>> Lock(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(grains.GetGrain<IPtzGrain>(id).LockAsync(user.ToOperator()));

    private static Task<Results<Ok<PtzView>, ProblemHttpResult>> Release(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(grains.GetGrain<IPtzGrain>(id).ReleaseAsync(user.ToOperator()));

    private static Task<Results<Ok<PtzView>, ProblemHttpResult>> Move(string id, PtzMoveBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        Command(id, new PtzCommand(PtzCommandKind.Move, body?.Pan ?? 0, body?.Tilt ?? 0, body?.Zoom ?? 0), user, grains);

    private static Task<Results<Ok<PtzView>, ProblemHttpResult>> Stop(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Command(id, new PtzCommand(PtzCommandKind.Stop), user, grains);

    private static Task<Results<Ok<PtzView>, ProblemHttpResult>> Preset(string id, PtzPresetBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        Command(id, new PtzCommand(PtzCommandKind.Preset, Preset: body?.Token?.Trim()), user, grains);

    private static Task<Results<Ok<PtzView>, ProblemHttpResult>> Home(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Command(id, new PtzCommand(PtzCommandKind.Home), user, grains);

    private static async Task<Results<Ok<PtzView>, ProblemHttpResult>> Command(string id, PtzCommand command, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (PtzCommandRules.Problem(command) is { } problem) return Problems.BadRequest(problem);
        return await Answer(grains.GetGrain<IPtzGrain>(id).CommandAsync(user.ToOperator(), command));
    }

    private static async Task<Results<Ok<PtzView>, ProblemHttpResult>> Answer(Task<PtzOutcome> call)
    {
        var outcome = await call;
        if (outcome.View is { } view) return TypedResults.Ok(view);
        var reason = outcome.Refusal ?? DecisionReasons.NoRule;
        var detail = PtzRefusals.Explain(reason);
        if (outcome.Holder is { Yours: false } holder)
            detail += $" The lock is held by {holder.AgencyId} (priority {holder.Priority}) until {holder.Until:O}.";
        return TypedResults.Problem(detail, statusCode: PtzRefusals.StatusOf(reason), title: reason == PtzRefusals.Locked ? "PTZ locked" : "PTZ refused",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = reason,
                ["holderAgency"] = outcome.Holder is { Yours: false } ? outcome.Holder.AgencyId : null,
                ["until"] = outcome.Holder is { Yours: false } ? outcome.Holder.Until : null,
            });
    }
}
