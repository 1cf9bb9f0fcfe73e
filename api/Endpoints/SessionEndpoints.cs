using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Api.Endpoints;

public static class SessionEndpoints
{
    public static void MapSessionEndpoints(this IEndpointRouteBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags("Sessions").RequireAuthorization(Policies.Viewer);
        sessions.MapPost("/", Start).WritesAudit().WithSummary("Start an operator session; the answer carries a session-bound token to use from then on");
        sessions.MapPost("/{id}/heartbeat", Heartbeat).WithSummary("Keep a session alive");
        sessions.MapDelete("/{id}", End).WritesAudit().WithSummary("Log out: the session and every right it held end now");
    }

    private static async Task<Created<SessionStarted>> Start(ClaimsPrincipal user, IGrainFactory grains, TokenIssuer issuer)
    {
        var principal = user.ToOperator();
        var sessionId = $"s-{Guid.NewGuid():N}";
        var session = await grains.GetGrain<IAgencySessionGrain>(sessionId).StartAsync(principal with { SessionId = sessionId });
        var (token, expiresAt) = issuer.Issue(principal.OperatorId, principal.AgencyId, principal.Role, sessionId);
        return TypedResults.Created($"/api/v1/sessions/{sessionId}", new SessionStarted(sessionId, token, expiresAt, session));
    }

    private static async Task<Ok<SessionInfo>> Heartbeat(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAgencySessionGrain>(id).HeartbeatAsync(user.ToOperator()));

    private static async Task<Ok<SessionInfo>> End(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAgencySessionGrain>(id).EndAsync(user.ToOperator(), "logout"));
}
