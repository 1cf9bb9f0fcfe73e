using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Misuse;

namespace SafetyNet.Api.Endpoints;

public static class MisuseFlagEndpoints
{
    public static void MapMisuseFlagEndpoints(this IEndpointRouteBuilder api)
    {
        var flags = api.MapGroup("/audit/flags").WithTags("Audit");
        flags.MapGet("/", List).RequireAuthorization(Policies.Auditor)
            .WithSummary("Misuse flags the rules raised over the ledger, newest first: a district's privacy officer its own districts', a city-wide auditor all");
        flags.MapPost("/{id}/acknowledge", Acknowledge).RequireAuthorization(Policies.Auditor).WritesAudit()
            .WithSummary("Acknowledge a flag with a note; the acknowledgement is written to the ledger");
    }

    private static async Task<Results<Ok<IReadOnlyList<MisuseFlag>>, ProblemHttpResult>> List(ClaimsPrincipal user, IGrainFactory grains, [AsParameters] FlagFilter filter)
    {
        if (filter.Problem is { } problem) return Problems.BadRequest(problem);
        var districts = await FlagScope.ForAsync(user, grains);
        return TypedResults.Ok(await grains.GetGrain<IMisuseFlagsGrain>(0).ListAsync(filter.ToQuery(districts)));
    }

    private static async Task<Results<Ok<MisuseFlag>, ProblemHttpResult>> Acknowledge(ClaimsPrincipal user, IGrainFactory grains, string id, [FromBody] AcknowledgeFlagBody? body)
    {
        var note = body?.Note?.Trim();
        if (string.IsNullOrEmpty(note)) return Problems.BadRequest("note is required: say what was checked and what follows.");
        if (note.Length > MisuseFlag.MaxNoteLength) return Problems.BadRequest($"note is at most {MisuseFlag.MaxNoteLength} characters.");
        var caller = user.ToOperator();
        var flag = await grains.GetGrain<IMisuseFlagsGrain>(0).AcknowledgeAsync(id, await FlagScope.ForAsync(user, grains), caller.Actor, caller.AgencyId, note);
        return flag is null ? Problems.NotFound($"There is no flag '{id}' among the flags you may read.") : TypedResults.Ok(flag);
    }
}
