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
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Media;
using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Api.Endpoints;

public static class LeaseEndpoints
{
    public static void MapLeaseEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/cameras/{id}/leases", Open).RequireAuthorization(Policies.Viewer).WritesAudit().WithTags("Video")
            .WithSummary("Ask to watch a camera: 201 with a short-lived lease and its playlist URL, or 403 with the decision's reason. " +
                "unmasked: true with a reason asks to see a masked camera without its masks (a supervisor, or an incident grant that carries the right)");
        api.MapPost("/leases/{id}/renew", Renew).RequireAuthorization(Policies.Viewer).WritesAudit().WithTags("Video")
            .WithSummary("Extend a lease while the access decision still allows it; the playlist URL stays the same");
        api.MapDelete("/leases/{id}", Release).RequireAuthorization(Policies.Viewer).WritesAudit().WithTags("Video").WithSummary("Stop watching");
        api.MapGet("/cameras/{id}/snapshot", Snapshot).RequireAuthorization(Policies.Viewer).WritesAudit().WithTags("Video")
            .WithSummary("A JPEG: the live relay's latest frame when it runs, otherwise a one-shot grab; same decision as live video. " +
                "The camera id, capture time (Asia/Seoul) and viewer are burnt in and repeated in X-SafetyNet-Camera, X-SafetyNet-Captured-At and X-SafetyNet-Viewer. " +
                "A masked camera's snapshot is masked unless unmasked=true&reason=... and the caller holds the unmasked right");
    }

    private static async Task<Results<Created<LeaseView>, ProblemHttpResult>> Open(string id, LeaseRequestBody? body, ClaimsPrincipal user, IGrainFactory grains, MediaTokens tokens, TimeProvider clock)
    {
        if (await IncidentContext.ViewingPurposeAsync(body?.Purpose, body?.IncidentId, user, grains) is not { } purpose) return Problems.BadRequest($"purpose must be one of: {EnumNames<AccessPurpose>.Expected}.");
        if (UnmaskedProblem(body?.Unmasked, body?.Reason) is { } problem) return Problems.BadRequest(problem);
        if (SessionOf(user) is not { } session) return Denied(DecisionReasons.SessionRequired);
        var request = new AccessRequest(id, purpose, body?.IncidentId, body?.Unmasked == true, body?.Unmasked == true ? body.Reason!.Trim() : null);
        var outcome = await grains.GetGrain<IAgencySessionGrain>(session).RequestLeaseAsync(user.ToOperator(), request, StreamLease.StandingPriority);
        if (outcome.Lease is not { } lease) return outcome.Decision.Reason == DecisionReasons.UnknownCamera
            ? Problems.NotFound($"There is no camera with id '{id}'.")
            : Denied(outcome.Decision.Reason);
        return TypedResults.Created($"/api/v1/leases/{lease.LeaseId}", View(lease, outcome.Decision.Reason, tokens, clock));
    }

    private static async Task<Results<Ok<LeaseView>, ProblemHttpResult>> Renew(string id, ClaimsPrincipal user, IGrainFactory grains, MediaTokens tokens, TimeProvider clock)
    {
        if (SessionOf(user) is not { } session) return Denied(DecisionReasons.SessionRequired);
        var outcome = await grains.GetGrain<IAgencySessionGrain>(session).RenewLeaseAsync(user.ToOperator(), id);
        return outcome.Lease is { } lease ? TypedResults.Ok(View(lease, outcome.Decision.Reason, tokens, clock)) : Denied(outcome.Decision.Reason);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Release(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (SessionOf(user) is not { } session) return Denied(DecisionReasons.SessionRequired);
        await grains.GetGrain<IAgencySessionGrain>(session).ReleaseLeaseAsync(user.ToOperator(), id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Snapshot(string id, ClaimsPrincipal user, IGrainFactory grains, HttpResponse response,
        string? purpose = null, string? incident = null, bool? unmasked = null, string? reason = null)
    {
        if (await IncidentContext.ViewingPurposeAsync(purpose, incident, user, grains) is not { } viewing) return Problems.BadRequest($"purpose must be one of: {EnumNames<AccessPurpose>.Expected}.");
        if (UnmaskedProblem(unmasked, reason) is { } problem) return Problems.BadRequest(problem);
        if (SessionOf(user) is not { } session) return Denied(DecisionReasons.SessionRequired);
        var outcome = await grains.GetGrain<IAgencySessionGrain>(session).SnapshotAsync(user.ToOperator(),
            new AccessRequest(id, viewing, incident, unmasked == true, unmasked == true ? reason!.Trim() : null));
        if (outcome.Snapshot is not { } snapshot) return outcome.Decision.Reason == DecisionReasons.UnknownCamera
            ? Problems.NotFound($"There is no camera with id '{id}'.")
            : Denied(outcome.Decision.Reason);
        SnapshotHeaders.Write(response.Headers, snapshot);
        return TypedResults.File(snapshot.Jpeg, "image/jpeg");
    }

    private static LeaseView View(StreamLease lease, string reason, MediaTokens tokens, TimeProvider clock)
    {
        var token = tokens.Issue(lease.LeaseId, lease.CameraId, lease.SessionId);
        var media = $"{lease.RelayNodeUrl?.TrimEnd('/')}/media/{Uri.EscapeDataString(lease.CameraId)}";
        return new LeaseView(lease.LeaseId, lease.CameraId, lease.ExpiresAt, $"{media}/index.m3u8?token={token}",
            $"/api/v1/cameras/{Uri.EscapeDataString(lease.CameraId)}/snapshot", token, reason,
            Math.Max(0, (lease.ExpiresAt - clock.GetUtcNow()).TotalSeconds), lease.Unmasked, $"{media}/live?token={token}", lease.RecordedVideo, lease.Ptz);
    }

    /// <summary>Lifting a camera's masks is justified in the ledger, so a reason is required, and kept to what a ledger row holds.</summary>
    private static string? UnmaskedProblem(bool? unmasked, string? reason) =>
        unmasked != true ? null
        : string.IsNullOrWhiteSpace(reason) ? "reason is required with unmasked: why the camera must be seen without its privacy masks (it goes to the ledger)."
        : reason.Trim().Length > MaxReasonLength ? $"reason is at most {MaxReasonLength} characters."
        : null;

    private const int MaxReasonLength = 500;

    private static string? SessionOf(ClaimsPrincipal user) => user.ToOperator().SessionId;

    /// <summary>403 with the decision reason in words and as <c>reason</c>.</summary>
    internal static ProblemHttpResult Denied(string reason) => TypedResults.Problem(DecisionReasons.Explain(reason), statusCode: 403, title: "Access denied",
        extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
