using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Contracts.Access;

namespace SafetyNet.Api.Endpoints;

/// <summary>What the caller's agency may view across the city, for colouring a map of every camera in one request.</summary>
public static class AccessOverviewEndpoints
{
    public static void MapAccessOverviewEndpoints(this IEndpointRouteBuilder api) =>
        api.MapGet("/cameras/access-overview", Get).WithTags("Cameras").RequireAuthorization(Policies.Viewer).WritesAudit()
            .WithSummary("Per district × camera purpose: standing access allowed, only during an incident, or denied; plus the cameras your incidents grant now");

    private static async Task<Ok<AccessOverview>> Get(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAccessOverviewGrain>(0).GetAsync(user.ToOperator()));
}
