using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Evidence;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Media;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Cameras;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Sessions;

/// <summary>
/// One operator console or field device. It is the gate every viewing request passes: it checks that the caller owns it
/// and that it is alive, then lets the camera decide. When it expires or logs out, every right it held ends.
/// It lives on the node that started it, which is the node a console's requests reach behind a load balancer that keeps a
/// client on one node: its every request then saves a hop to another silo.
/// </summary>
[PreferLocalPlacement]
public sealed class AgencySessionGrain(
    [PersistentState("session", StorageNames.Default)] IPersistentState<SessionState> state,
    IOptions<SessionOptions> options,
    IAuditLedger audit,
    SafetyNetMetrics metrics,
    TimeProvider clock) : Grain, IAgencySessionGrain
{
    private const string SupervisorRole = "supervisor";

    private IGrainTimer? _expiryTimer;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is { EndedAt: null } info)
        {
            if (info.IsAliveAt(clock.GetUtcNow())) ArmExpiryTimer(info.ExpiresAt);
            else await EndAsync("expired");
        }
    }

    public async Task<SessionInfo> StartAsync(OperatorPrincipal principal)
    {
        if (state.State.Info is { } existing)
        {
            EnsureOwner(principal, existing);
            return existing;
        }
        var agency = await GrainFactory.GetGrain<IAgencyGrain>(principal.AgencyId).GetAsync()
            ?? throw DomainException.Forbidden($"Agency '{principal.AgencyId}' is not registered.");
        var now = clock.GetUtcNow();
        var info = new SessionInfo(Id, agency.Id, principal.OperatorId, principal.Role, now, now, ExpiryFrom(now, now), null, null);
        state.State.Info = info;
        state.State.Agency = agency;
        await state.WriteStateAsync();
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.SessionStart, AgencyId: agency.Id, SessionId: Id, Actor: principal.Actor,
            Details: $$"""{"role":"{{principal.Role}}"}"""));
        metrics.SessionStarted();
        ArmExpiryTimer(info.ExpiresAt);
        return info;
    }

    public async Task<SessionInfo> HeartbeatAsync(OperatorPrincipal principal)
    {
        var info = Owned(principal);
        var now = clock.GetUtcNow();
        if (!info.IsAliveAt(now))
        {
            await EndAsync("expired");
            throw DomainException.Conflict("The session has ended; start a new one.");
        }
        var agency = await GrainFactory.GetGrain<IAgencyGrain>(info.AgencyId).GetAsync();
        info = info with { LastHeartbeatAt = now, ExpiresAt = ExpiryFrom(info.StartedAt, now) };
        state.State.Info = info;
        state.State.Agency = agency ?? state.State.Agency;
        await state.WriteStateAsync();
        ArmExpiryTimer(info.ExpiresAt);
        return info;
    }

    public async Task<SessionInfo> EndAsync(OperatorPrincipal principal, string reason)
    {
        Owned(principal);
        await EndAsync(reason);
        return state.State.Info!;
    }

    public ValueTask<SessionInfo?> GetAsync() => ValueTask.FromResult(state.State.Info);

    public async Task<AccessDecision> DecideAsync(OperatorPrincipal principal, AccessRequest request)
    {
        var decisions = await DecideManyAsync(principal, [request]);
        return decisions[0];
    }

    /// <remarks>
    /// Read-only, so an expired session is refused here but ended by its expiry timer, which does not interleave with
    /// decisions; ending it here could run twice side by side.
    /// </remarks>
    public Task<AccessDecision[]> DecideManyAsync(OperatorPrincipal principal, AccessRequest[] requests) =>
        DecideOrRefuseAsync(principal, requests, Refusal(principal));

    /// <summary>Decides on the cameras, or when the session has a refusal for the principal, denies them all for it.</summary>
    private async Task<AccessDecision[]> DecideOrRefuseAsync(OperatorPrincipal principal, AccessRequest[] requests, string? refusal)
    {
        if (refusal is not null) return await RefuseAsync(principal, requests, refusal);
        return await Task.WhenAll(requests.Select(r => GrainFactory.GetGrain<ICameraGrain>(r.CameraId).DecideAsync(SubjectFor(principal), r)));
    }

    /// <summary>Denies every request for the session's own reason (it is not the caller's, or it has ended), audited.</summary>
    private async Task<AccessDecision[]> RefuseAsync(OperatorPrincipal principal, AccessRequest[] requests, string refusal)
    {
        var now = clock.GetUtcNow();
        await audit.AppendManyAsync(requests.Select(r => new AuditEntry(now, AuditKinds.AccessDecision, "deny", refusal, r.CameraId,
            principal.AgencyId, Id, r.IncidentId, principal.Actor)).ToArray());
        return requests.Select(r => AccessDecision.Deny(r.CameraId, refusal)).ToArray();
    }

    public async Task<AccessDecision[]> PreviewManyAsync(OperatorPrincipal principal, AccessRequest[] requests, string query)
    {
        var refusal = await RefusalAsync(principal);
        var decisions = refusal is not null
            ? requests.Select(r => AccessDecision.Deny(r.CameraId, refusal)).ToArray()
            : await Task.WhenAll(requests.Select(r => GrainFactory.GetGrain<ICameraGrain>(r.CameraId).PreviewAsync(SubjectFor(principal), r)));
        await audit.AppendAsync(AccessPreviewSummary.Create(clock.GetUtcNow(), query, principal.AgencyId, principal.Actor, Id,
            requests.FirstOrDefault()?.IncidentId, decisions.Length, decisions.Count(d => d.Allowed), refusal));
        return decisions;
    }

    /// <summary>Why this session may not be used by the principal now (ending it if it just expired), or null.</summary>
    private async Task<string?> RefusalAsync(OperatorPrincipal principal)
    {
        var refusal = Refusal(principal);
        if (refusal == DecisionReasons.SessionExpired) await EndAsync("expired");
        return refusal;
    }

    /// <summary>Why this session may not be used by the principal now, or null.</summary>
    private string? Refusal(OperatorPrincipal principal)
    {
        var info = state.State.Info;
        return info is null || !IsOwner(principal, info) ? DecisionReasons.SessionMismatch
            : !info.IsAliveAt(clock.GetUtcNow()) ? DecisionReasons.SessionExpired
            : null;
    }

    public async Task<LeaseOutcome> RequestLeaseAsync(OperatorPrincipal principal, AccessRequest request, int priority)
    {
        if (await RefusalAsync(principal) is { } refusal) return new LeaseOutcome((await RefuseAsync(principal, [request], refusal))[0], null);
        var outcome = await GrainFactory.GetGrain<ICameraGrain>(request.CameraId).DecideAndLeaseAsync(SubjectFor(principal), request, priority);
        if (outcome.Lease is not { } lease) return outcome;
        state.State.Leases.Add(lease.LeaseId);
        await state.WriteStateAsync();
        return outcome;
    }

    public async Task<LeaseOutcome> RenewLeaseAsync(OperatorPrincipal principal, string leaseId)
    {
        Owned(principal);
        var camera = GrainFactory.GetGrain<ICameraGrain>(LeaseIds.CameraOf(leaseId) ?? throw DomainException.NotFound($"There is no lease '{leaseId}'."));
        if (!state.State.Leases.Contains(leaseId) || await camera.GetLeaseAsync(leaseId) is not { } lease)
            throw DomainException.NotFound($"This session holds no lease '{leaseId}'.");
        var renewed = new AccessRequest(lease.CameraId, lease.Purpose, lease.IncidentId, lease.Unmasked, lease.UnmaskedReason);
        var decision = (await DecideOrRefuseAsync(principal, [renewed], await RefusalAsync(principal)))[0];
        if (!decision.Allowed)
        {
            // The lease's own end is judged before the rule's answer, as the camera judges a renewal: a lease whose incident
            // grant has just ended (the camera sweeps its leases once a second) ended with the grant, and every client is told
            // so, not that its access now needs an incident.
            var refusal = LeaseRules.RefuseRenewal(lease, lease.GrantId is null ? [] : await camera.GetGrantsAsync(), decision, clock.GetUtcNow())!;
            await camera.EndLeaseAsync(leaseId, refusal.Reason);
            state.State.Leases.Remove(leaseId);
            await state.WriteStateAsync();
            if (refusal.LeaseEnded) throw refusal.ToException();
            return new LeaseOutcome(decision, null);
        }
        return new LeaseOutcome(decision, await camera.RenewLeaseAsync(leaseId, decision));
    }

    public async Task ReleaseLeaseAsync(OperatorPrincipal principal, string leaseId)
    {
        Owned(principal);
        if (!state.State.Leases.Remove(leaseId)) throw DomainException.NotFound($"This session holds no lease '{leaseId}'.");
        await GrainFactory.GetGrain<ICameraGrain>(LeaseIds.CameraOf(leaseId)!).EndLeaseAsync(leaseId, "released");
        await state.WriteStateAsync();
    }

    public async Task<RewindOutcome> RewindLeaseAsync(OperatorPrincipal principal, string leaseId, DateTimeOffset at)
    {
        Owned(principal);
        if (!state.State.Leases.Contains(leaseId) || LeaseIds.CameraOf(leaseId) is not { } cameraId)
            throw DomainException.NotFound($"This session holds no lease '{leaseId}'.");
        return await GrainFactory.GetGrain<ICameraGrain>(cameraId).RewindAsync(leaseId, Id, at);
    }

    public async Task<SnapshotOutcome> SnapshotAsync(OperatorPrincipal principal, AccessRequest request)
    {
        var decision = (await DecideOrRefuseAsync(principal, [request], await RefusalAsync(principal)))[0];
        if (!decision.Allowed) return new SnapshotOutcome(decision, null);
        return new SnapshotOutcome(decision, await GrainFactory.GetGrain<ICameraGrain>(request.CameraId).SnapshotAsync(SubjectFor(principal), request, decision));
    }

    /// <summary>The session's operator and agency; the role is the caller's as authenticated now, not as the session began.</summary>
    private AccessSubject SubjectFor(OperatorPrincipal principal) => new(Id, state.State.Info!.OperatorId, state.State.Agency!, principal.IsSupervisor);

    public async Task<EvidenceOutcome> ExportEvidenceAsync(OperatorPrincipal principal, AccessRequest request, EvidenceRequest evidence)
    {
        var decision = (await DecideOrRefuseAsync(principal, [request], await RefusalAsync(principal)))[0];
        var refusal = !decision.Allowed ? decision.Reason
            : string.IsNullOrWhiteSpace(decision.IncidentId ?? request.IncidentId) ? DecisionReasons.EvidenceNeedsIncident
            : !principal.IsSupervisor && !await WatchesAsync(request.CameraId) ? DecisionReasons.EvidenceNeedsLease
            : null;
        if (refusal is null)
            return new EvidenceOutcome(decision, await GrainFactory.GetGrain<ICameraGrain>(request.CameraId).ExportEvidenceAsync(SubjectFor(principal), request, decision, evidence));
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.EvidenceExport, "deny", refusal, request.CameraId, principal.AgencyId, Id,
            request.IncidentId, principal.Actor, JsonSerializer.Serialize(new { kind = EnumNames<EvidenceKind>.NameOf(evidence.Kind) }),
            Purpose: EnumNames<AccessPurpose>.NameOf(request.Purpose), Justification: evidence.Justification));
        return new EvidenceOutcome(decision.Allowed ? AccessDecision.Deny(request.CameraId, refusal) : decision, null);
    }

    /// <summary>Whether this session holds an open lease on the camera: an operator exports only what it is watching.</summary>
    private async Task<bool> WatchesAsync(string cameraId)
    {
        foreach (var leaseId in state.State.Leases.Where(l => LeaseIds.CameraOf(l) == cameraId))
            if (await GrainFactory.GetGrain<ICameraGrain>(cameraId).GetLeaseAsync(leaseId) is { SessionId: var holder } && holder == Id) return true;
        return false;
    }

    private async Task EndAsync(string reason)
    {
        if (state.State.Info is not { EndedAt: null } info) return;
        foreach (var leaseId in state.State.Leases)
            await GrainFactory.GetGrain<ICameraGrain>(LeaseIds.CameraOf(leaseId)!).EndLeaseAsync(leaseId, $"session-{reason}");
        state.State.Leases.Clear();
        var now = clock.GetUtcNow();
        state.State.Info = info with { EndedAt = reason == "expired" ? Min(info.ExpiresAt, now) : now, EndReason = reason };
        await state.WriteStateAsync();
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.SessionEnd, Reason: reason, AgencyId: info.AgencyId, SessionId: Id,
            Actor: $"{info.AgencyId}/{info.OperatorId}"));
        metrics.SessionEnded(reason);
        _expiryTimer?.Dispose();
        _expiryTimer = null;
    }

    private void ArmExpiryTimer(DateTimeOffset expiresAt)
    {
        _expiryTimer?.Dispose();
        var due = expiresAt - clock.GetUtcNow();
        _expiryTimer = this.RegisterGrainTimer(async () =>
        {
            if (state.State.Info is not { EndedAt: null } current) return;
            // A timer may fire a little early; the session must still end, so look again when it is really due.
            if (current.IsAliveAt(clock.GetUtcNow())) ArmExpiryTimer(current.ExpiresAt);
            else await EndAsync("expired");
        }, new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private DateTimeOffset ExpiryFrom(DateTimeOffset startedAt, DateTimeOffset heartbeatAt) =>
        Min(heartbeatAt + options.Value.HeartbeatTimeout, startedAt + options.Value.MaxLifetime);

    private SessionInfo Owned(OperatorPrincipal principal)
    {
        var info = state.State.Info ?? throw DomainException.NotFound($"There is no session '{Id}'.");
        EnsureOwner(principal, info);
        return info;
    }

    private static void EnsureOwner(OperatorPrincipal principal, SessionInfo info)
    {
        if (!IsOwner(principal, info))
            throw DomainException.Forbidden("This session belongs to another operator.");
    }

    private static bool IsOwner(OperatorPrincipal principal, SessionInfo info) =>
        principal.AgencyId == info.AgencyId && principal.OperatorId == info.OperatorId;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
