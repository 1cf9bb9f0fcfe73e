using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Api.Endpoints;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Auditor);
        audit.MapGet("/", Query).WithSummary("The audit ledger, newest first, filtered and paged");
        audit.MapGet("/verify", Verify).WithSummary("Check the hash chain against the signed checkpoints and name the first broken row or checkpoint");
        audit.MapGet("/checkpoint-keys", CheckpointKeys).WithSummary("The public keys audit checkpoints are signed with, for offline verification");
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> Query(
        IGrainFactory grains, string? camera, string? agency, string? session, string? incident, string? kind,
        string? outcome, DateTimeOffset? from, DateTimeOffset? to, int page = 1, int pageSize = 100)
    {
        if (page < 1) return Problems.BadRequest("page starts at 1.");
        if (pageSize is < 1 or > 1000) return Problems.BadRequest("pageSize must be between 1 and 1000.");
        if (from is { } f && to is { } t && f >= t) return Problems.BadRequest("from must be before to.");
        return TypedResults.Ok(await grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(camera, agency, session, incident, from, to, page, pageSize, kind, outcome)));
    }

    private static async Task<Ok<ChainVerification>> Verify(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAuditGrain>(0).VerifyAsync());

    private static async Task<Ok<IReadOnlyList<CheckpointKeyInfo>>> CheckpointKeys(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAuditGrain>(0).GetCheckpointKeysAsync());
}
