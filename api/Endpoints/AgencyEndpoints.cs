using SafetyNet.Contracts;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Api.Endpoints;

public static class AgencyEndpoints
{
    public static void MapAgencyEndpoints(this IEndpointRouteBuilder api)
    {
        var agencies = api.MapGroup("/agencies").WithTags("Agencies");
        agencies.MapGet("/", List).RequireAuthorization(Policies.AnyRole).WithSummary("Every registered agency");
        agencies.MapGet("/{id}", Get).RequireAuthorization(Policies.AnyRole).WithSummary("One agency");
        agencies.MapPut("/{id}", Put).RequireAuthorization(Policies.PlatformAdmin).WritesAudit().WithSummary("Register or change an agency");
    }

    private static async Task<Ok<IReadOnlyList<AgencyInfo>>> List(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAgencyDirectoryGrain>(0).ListAsync());

    private static async Task<Results<Ok<AgencyInfo>, ProblemHttpResult>> Get(string id, IGrainFactory grains) =>
        await grains.GetGrain<IAgencyGrain>(id).GetAsync() is { } agency
            ? TypedResults.Ok(agency)
            : Problems.NotFound($"There is no agency '{id}'.");

    private static async Task<Results<Ok<AgencyInfo>, ProblemHttpResult>> Put(string id, AgencyUpsert body, ClaimsPrincipal user, IGrainFactory grains, RegisteredAgencies registered)
    {
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return Problems.BadRequest("An agency id is 1-64 letters, digits, '-', '_' or '.'.");
        if (body.Kind is not { } kind)
            return Problems.BadRequest($"kind is required: one of {EnumNames<AgencyKind>.Expected}.");
        var agency = new AgencyInfo(id, body.Name ?? "", kind, body.CityWide, body.Districts ?? []);
        var saved = await grains.GetGrain<IAgencyGrain>(id).UpsertAsync(agency, user.ToOperator().Actor);
        registered.Forget(id);
        return TypedResults.Ok(saved);
    }
}
