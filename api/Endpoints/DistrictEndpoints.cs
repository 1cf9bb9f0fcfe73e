using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Api.Endpoints;

public static class DistrictEndpoints
{
    public static void MapDistrictEndpoints(this IEndpointRouteBuilder api)
    {
        var districts = api.MapGroup("/districts").WithTags("Districts");
        districts.MapGet("/", List).RequireAuthorization(Policies.AnyRole).WithSummary("Seoul's 25 districts with their camera counts");
        districts.MapGet("/{code}", Get).RequireAuthorization(Policies.AnyRole).WithSummary("One district: usage and sharing policy");
        districts.MapPut("/{code}/sharing-policy", SetPolicy).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithSummary("Replace the district's sharing policy; pairs left out become 'never'");
    }

    private static async Task<Ok<DistrictInfo[]>> List(IGrainFactory grains) =>
        TypedResults.Ok(await Task.WhenAll(DistrictCodes.All.Select(c => grains.GetGrain<IDistrictGrain>(c).GetInfoAsync().AsTask())));

    private static async Task<Results<Ok<DistrictDetail>, ProblemHttpResult>> Get(string code, IGrainFactory grains)
    {
        if (!DistrictCodes.IsKnown(code)) return Problems.NotFound($"There is no Seoul district with code '{code}' (codes are 11010 to 11250).");
        var district = grains.GetGrain<IDistrictGrain>(code);
        var policy = await district.GetPolicyAsync();
        return TypedResults.Ok(new DistrictDetail(await district.GetInfoAsync(), await district.GetUsageAsync(), policy.Version, PolicyMapper.ToJson(policy)));
    }

    private static async Task<Results<Ok<DistrictDetail>, ProblemHttpResult>> SetPolicy(
        string code, Dictionary<string, Dictionary<string, string>> body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!DistrictCodes.IsKnown(code)) return Problems.NotFound($"There is no Seoul district with code '{code}' (codes are 11010 to 11250).");
        if (!await DistrictScope.ManagesAsync(user, code, grains))
            return Problems.Forbidden($"You may manage only your own district's policy, not district {code}'s.");
        var policy = PolicyMapper.FromJson(body, out var error);
        if (error is not null) return Problems.BadRequest(error);
        var district = grains.GetGrain<IDistrictGrain>(code);
        var saved = await district.SetPolicyAsync(policy, user.ToOperator().Actor);
        return TypedResults.Ok(new DistrictDetail(await district.GetInfoAsync(), await district.GetUsageAsync(), saved.Version, PolicyMapper.ToJson(saved)));
    }
}
