using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Api.Endpoints;

public static class DistrictEndpoints
{
    public static void MapDistrictEndpoints(this IEndpointRouteBuilder api)
    {
        var districts = api.MapGroup("/districts").WithTags("Districts");
        districts.MapGet("/", List).RequireAuthorization(Policies.AnyRole).WithSummary("The districts this node serves (Seoul's 25, or every local government of a configured nation) with their camera counts");
        districts.MapGet("/{code}", Get).RequireAuthorization(Policies.AnyRole).WithSummary("One district: usage and sharing policy");
        districts.MapPut("/{code}/sharing-policy", ReplacePolicy).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithSummary("Replace the district's whole sharing policy (every agency kind × camera purpose); the answer lists what changed");
        districts.MapPatch("/{code}/sharing-policy", ChangePolicy).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithSummary("Set only the named agency kind × camera purpose pairs, leaving every other pair as it is; the answer lists what changed");
        districts.MapPut("/{code}/recorded-video-policy", SetRecordedVideoKinds).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithSummary("Set which agency kinds' standing access also carries the recorded-video right (rewinding the minutes a relay keeps): " +
                "{\"agencyKinds\":[\"police-112-center\"]}; an empty list takes the right from all");
    }

    private static async Task<Results<Ok<RecordedVideoPolicyView>, ProblemHttpResult>> SetRecordedVideoKinds(
        string code, RecordedVideoPolicyBody? body, ClaimsPrincipal user, IGrainFactory grains, IServedDistricts served)
    {
        if (await RefusalAsync(code, user, grains, served) is { } refusal) return refusal;
        if (body?.AgencyKinds is not { } names) return Problems.BadRequest("agencyKinds is required: the agency kinds that may rewind, e.g. [\"police-112-center\"], or [] for none.");
        var kinds = new List<AgencyKind>();
        foreach (var name in names)
        {
            if (!EnumNames<AgencyKind>.TryParse(name, out var kind)) return Problems.BadRequest($"Unknown agency kind '{name}'. Expected one of: {EnumNames<AgencyKind>.Expected}.");
            if (!kind.ViewsVideo()) return Problems.BadRequest($"Agencies of kind '{name}' never view video, so they cannot rewind it.");
            kinds.Add(kind);
        }
        var policy = await grains.GetGrain<IDistrictGrain>(code).SetRecordedVideoKindsAsync([.. kinds], user.ToOperator().Actor);
        return TypedResults.Ok(new RecordedVideoPolicyView(code, policy.Version, RecordedVideoNames(policy)));
    }

    private static string[] RecordedVideoNames(SharingPolicy policy) => [.. (policy.RecordedVideoKinds ?? []).Select(EnumNames<AgencyKind>.NameOf)];

    private static async Task<Ok<DistrictInfo[]>> List(IGrainFactory grains, IServedDistricts served) =>
        TypedResults.Ok(await Task.WhenAll(served.Codes.Select(c => grains.GetGrain<IDistrictGrain>(c).GetInfoAsync().AsTask())));

    private static async Task<Results<Ok<DistrictDetail>, ProblemHttpResult>> Get(string code, IGrainFactory grains, IServedDistricts served)
    {
        if (!served.Serves(code)) return Problems.NotFound(served.NoSuchDistrict(code));
        var district = grains.GetGrain<IDistrictGrain>(code);
        var policy = await district.GetPolicyAsync();
        return TypedResults.Ok(new DistrictDetail(await district.GetInfoAsync(), await district.GetUsageAsync(), policy.Version, PolicyMapper.ToJson(policy), RecordedVideoNames(policy), policy.Fallback));
    }

    private static async Task<Results<Ok<PolicyEdited>, ProblemHttpResult>> ReplacePolicy(
        string code, Dictionary<string, Dictionary<string, string>> body, ClaimsPrincipal user, IGrainFactory grains, IServedDistricts served)
    {
        if (await RefusalAsync(code, user, grains, served) is { } refusal) return refusal;
        var policy = PolicyMapper.FullPolicyFromJson(body, out var error);
        if (policy is null) return Problems.BadRequest(error!);
        return await AnswerAsync(grains.GetGrain<IDistrictGrain>(code), d => d.SetPolicyAsync(policy, user.ToOperator().Actor));
    }

    private static async Task<Results<Ok<PolicyEdited>, ProblemHttpResult>> ChangePolicy(
        string code, Dictionary<string, Dictionary<string, string>> body, ClaimsPrincipal user, IGrainFactory grains, IServedDistricts served)
    {
        if (await RefusalAsync(code, user, grains, served) is { } refusal) return refusal;
        var cells = PolicyMapper.CellsFromJson(body, out var error);
        if (error is not null) return Problems.BadRequest(error);
        if (cells.Length == 0)
            return Problems.BadRequest("Name at least one pair to change: {\"<agency-kind>\":{\"<camera-purpose>\":\"never|during-incident|standing\"}}.");
        return await AnswerAsync(grains.GetGrain<IDistrictGrain>(code), d => d.ChangePolicyAsync(cells, user.ToOperator().Actor));
    }

    private static async Task<ProblemHttpResult?> RefusalAsync(string code, ClaimsPrincipal user, IGrainFactory grains, IServedDistricts served)
    {
        if (!served.Serves(code)) return Problems.NotFound(served.NoSuchDistrict(code));
        if (!await DistrictScope.ManagesAsync(user, code, grains))
            return Problems.Forbidden($"You may manage only your own district's policy, not district {code}'s.");
        return null;
    }

    private static async Task<Ok<PolicyEdited>> AnswerAsync(IDistrictGrain district, Func<IDistrictGrain, Task<PolicyUpdate>> edit)
    {
        var update = await edit(district);
        return TypedResults.Ok(new PolicyEdited(await district.GetInfoAsync(), await district.GetUsageAsync(), update.Policy.Version,
            PolicyMapper.ToJson(update.Policy), update.Changes, update.Policy.Fallback));
    }
}
