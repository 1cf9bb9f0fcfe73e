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
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Api.Endpoints;

public static class RewindEndpoints
{
    public static void MapRewindEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/leases/{id}/rewind", Rewind).RequireAuthorization(Policies.Viewer).WritesAudit().WithTags("Video")
            .WithSummary("Rewind a lease of this session into the minutes the camera's relay keeps (Media:RewindWindow): at (ISO time) or " +
                "secondsBack. Needs the recorded-video right (an incident grant that carries it, or the district's policy); 403 with the " +
                "reason without it, 422 outside the window. Answers the window's playlist URL and its start and end; every rewind is audited");
    }

    private static async Task<Results<Ok<RewindView>, ProblemHttpResult>> Rewind(string id, RewindRequestBody? body, ClaimsPrincipal user, IGrainFactory grains,
        MediaTokens tokens, TimeProvider clock)
    {
        if (Target(body, clock.GetUtcNow(), out var problem) is not { } at) return Problems.BadRequest(problem!);
        if (user.ToOperator().SessionId is not { } session) return LeaseEndpoints.Denied(DecisionReasons.SessionRequired);
        var outcome = await grains.GetGrain<IAgencySessionGrain>(session).RewindLeaseAsync(user.ToOperator(), id, at);
        var window = new Dictionary<string, object?> { ["reason"] = outcome.Refusal, ["windowStart"] = outcome.WindowStart, ["windowEnd"] = outcome.WindowEnd };
        if (outcome.Refusal == DecisionReasons.RewindOutsideWindow)
            return TypedResults.Problem($"{at:O} is outside the window the relay keeps, {outcome.WindowStart:O} to {outcome.WindowEnd:O}.",
                statusCode: 422, title: "Outside the rewind window", extensions: window);
        if (outcome.Refusal is { } refusal)
            return TypedResults.Problem(DecisionReasons.Explain(refusal), statusCode: 403, title: "Rewind refused", extensions: window);
        var lease = outcome.Lease;
        var token = tokens.Issue(lease.LeaseId, lease.CameraId, lease.SessionId);
        var playlist = $"{lease.RelayNodeUrl?.TrimEnd('/')}/media/{Uri.EscapeDataString(lease.CameraId)}/window.m3u8?token={token}";
        return TypedResults.Ok(new RewindView(lease.LeaseId, lease.CameraId, at, outcome.WindowStart!.Value, outcome.WindowEnd!.Value, playlist));
    }

    /// <summary>Exactly one of at and secondsBack; secondsBack counts from now.</summary>
    private static DateTimeOffset? Target(RewindRequestBody? body, DateTimeOffset now, out string? problem)
    {
        problem = null;
        switch (body)
        {
            case { At: { } at, SecondsBack: null }:
                return at;
            case { At: null, SecondsBack: { } back } when back is >= 0 and <= 86_400:
                return now - TimeSpan.FromSeconds(back);
            case { At: null, SecondsBack: not null }:
                problem = "secondsBack must be between 0 and 86400.";
                return null;
            default:
                problem = "Give exactly one of at (an ISO 8601 time, e.g. 2026-12-02T16:20:00+09:00) and secondsBack (seconds before now).";
                return null;
        }
    }
}
