using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Contracts.Access;

namespace SafetyNet.Api.Endpoints;

/// <summary>What the caller's agency may view across the city, for colouring a map of every camera in one request.</summary>
public static class AccessOverviewEndpoints
{
    public static void MapAccessOverviewEndpoints(this IEndpointRouteBuilder api) =>
        api.MapGet("/cameras/access-overview", Get).WithTags("Cameras").RequireAuthorization(Policies.Viewer).WritesAudit()
            .WithSummary("Per district × camera purpose: standing access allowed, only during an incident, or denied; plus the cameras your incidents grant now (with incident: judged for its purpose, and only its cameras)");

    private static async Task<Results<Ok<AccessOverview>, ProblemHttpResult>> Get(ClaimsPrincipal user, IGrainFactory grains, string? incident = null)
    {
        if (incident is not null && (await IncidentContext.PurposeAsync(incident, user, grains)).Problem is { } problem) return problem;
        return TypedResults.Ok(await grains.GetGrain<IAccessOverviewGrain>(0).GetAsync(user.ToOperator(), incident));
    }
}
