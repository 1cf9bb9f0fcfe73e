using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Evidence;
using SafetyNet.Contracts.Media;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Evidence;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// One camera: it decides access to itself from its district's policy and the grants that cover it, issues stream leases,
/// and owns its relay. The relay runs on the silo where this grain is active, so there is one upstream pull per camera in
/// the whole cluster; when the last lease ends the relay lingers, then stops.
/// </summary>
public sealed class CameraGrain(
    [PersistentState("camera", StorageNames.Default)] IPersistentState<CameraState> state,
    CameraIndex index,
    IAuditLedger audit,
    SafetyNetMetrics metrics,
    RelayHost relays,
    StreamUrlGuard streamUrls,
    IOptions<LeaseOptions> leaseOptions,
    IOptions<MediaOptions> mediaOptions,
    EvidenceSealer evidence,
    NodeEndpoint node,
    TimeProvider clock,
    ILogger<CameraGrain> logger) : Grain, ICameraGrain
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// How old the district policy a lease check relies on may be. A policy change therefore reaches every open lease within
    /// this time, well inside the one second in which a change to "never" must refuse the next media request.
    /// </summary>
    private static readonly TimeSpan PolicyFreshness = TimeSpan.FromMilliseconds(500);

    private readonly HashSet<string> _viewsStarted = new(StringComparer.Ordinal);
    private readonly LeaseDecisionCache _leaseDecisions = new();
    private readonly RecentLeaseEnds _recentEnds = new();
    private CameraInfo? _camera;
    private SharingPolicy? _policy;
    private DateTimeOffset _policyReadAt;
    private long _grantsVersion;
    private IGrainTimer? _housekeeping;
    private DateTimeOffset? _idleSince;
    private bool _upstreamClaimed;
    private DateTimeOffset _upstreamClaimedAt;

    private string Id => this.GetPrimaryKeyString();
    private LeaseOptions Leases => leaseOptions.Value;
    private bool RelayRunning => relays.RunningCameras.Contains(Id);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync();
        if (state.State.Leases.Count > 0 || state.State.PrewarmUntil > clock.GetUtcNow()) ArmHousekeeping();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopRelayAsync();
    }

    /// <summary>
    /// Finds this camera's catalog entry. A camera imported moments ago on another silo may not be in this silo's index
    /// yet, so a miss is retried on the next call rather than remembered.
    /// </summary>
    private async ValueTask<CameraInfo?> LoadAsync()
    {
        if (_camera is not null) return _camera;
        var district = state.State.DistrictCode ?? index.Current.Find(Id)?.DistrictCode;
        if (district is not null)
            _camera = await GrainFactory.GetGrain<IDistrictGrain>(district).GetCameraAsync(Id);
        return _camera;
    }

    private async Task<CameraInfo> RequireAsync() => await LoadAsync() ?? throw DomainException.NotFound($"There is no camera with id '{Id}'.");

    public ValueTask<CameraInfo?> GetAsync() => LoadAsync();

    public Task<CameraInfo> UpdateAsync(CameraPatch patch, string actor) => UpdateAsync(patch, actor, reason: null);

    private async Task<CameraInfo> UpdateAsync(CameraPatch patch, string actor, string? reason)
    {
        var camera = await RequireAsync();
        var updated = await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).UpdateCameraAsync(Id, patch)
            ?? throw DomainException.NotFound($"There is no camera with id '{Id}'.");
        _camera = updated;
        // The ledger is read by auditors, who may not hold the camera's credentials.
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.CameraChange, Reason: reason, CameraId: Id, Actor: actor,
            Details: JsonSerializer.Serialize(patch with { StreamUrl = patch.StreamUrl is { } url ? StreamUrls.Redact(url) : null }, Json)));
        await EndInvalidLeasesAsync();
        return updated;
    }

    public Task SetStatusAsync(CameraStatus status, string actor) => UpdateAsync(new CameraPatch(Status: status), actor);

    public async Task OnCatalogChangedAsync(CameraInfo camera)
    {
        _camera = camera;
        if (state.State.DistrictCode != camera.DistrictCode)
        {
            state.State.DistrictCode = camera.DistrictCode;
            await state.WriteStateAsync();
        }
        await EndInvalidLeasesAsync();
    }

    public async Task<AccessDecision> DecideAsync(AccessSubject subject, AccessRequest request)
    {
        using var activity = SafetyNetMetrics.ActivitySource.StartActivity("camera.decide");
        activity?.SetTag("safetynet.camera", Id);
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        var decision = await EvaluateAsync(subject, request, now);
        activity?.SetTag("safetynet.decision", decision.Reason);
        metrics.Decision(decision.Allowed, decision.Reason, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.AccessDecision,
            decision.Allowed ? "allow" : "deny", decision.Reason, Id, subject.Agency.Id, subject.SessionId,
            decision.IncidentId ?? request.IncidentId, $"{subject.Agency.Id}/{subject.OperatorId}",
            JsonSerializer.Serialize(new { purpose = request.Purpose, grant = decision.GrantId }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(request.Purpose)));
        return decision;
    }

    public async Task<AccessDecision> PreviewAsync(AccessSubject subject, AccessRequest request) =>
        await EvaluateAsync(subject, request, clock.GetUtcNow());

    private async Task<AccessDecision> EvaluateAsync(AccessSubject subject, AccessRequest request, DateTimeOffset now)
    {
        if (await LoadAsync() is not { } camera) return AccessDecision.Deny(Id, DecisionReasons.UnknownCamera);
        var policy = await ReadPolicyAsync(camera, now);
        return AccessRules.Decide(camera, policy, state.State.Grants, subject, request, now);
    }

    public Task AddGrantAsync(AccessGrant grant) => AddGrantsAsync([grant]);

    public async Task AddGrantsAsync(AccessGrant[] grants)
    {
        var now = clock.GetUtcNow();
        state.State.Grants.RemoveAll(g => grants.Any(n => n.GrantId == g.GrantId) || !g.IsActiveAt(now));
        state.State.Grants.AddRange(grants);
        state.State.DistrictCode ??= _camera?.DistrictCode;
        _grantsVersion++;
        await state.WriteStateAsync();
        if (state.State.Leases.Count > 0) ArmHousekeeping();
    }

    public async Task RevokeGrantAsync(string grantId)
    {
        var now = clock.GetUtcNow();
        if (state.State.Grants.RemoveAll(g => g.GrantId == grantId || !g.IsActiveAt(now)) > 0)
        {
            _grantsVersion++;
            await state.WriteStateAsync();
            await EndInvalidLeasesAsync();
        }
    }

    public ValueTask<IReadOnlyList<AccessGrant>> GetGrantsAsync()
    {
        var now = clock.GetUtcNow();
        return ValueTask.FromResult<IReadOnlyList<AccessGrant>>(state.State.Grants.Where(g => g.IsActiveAt(now)).ToArray());
    }

    public async Task<StreamLease> OpenLeaseAsync(AccessSubject subject, AccessRequest request, AccessDecision decision, int priority)
    {
        var camera = await RequireAsync();
        if (!decision.Allowed || decision.CameraId != Id) throw DomainException.Forbidden(DecisionReasons.Explain(decision.Reason));
        await EndInvalidLeasesAsync();
        var now = clock.GetUtcNow();
        if (state.State.Leases.Count >= Leases.ViewerCapPerCamera)
        {
            var victim = LeaseRules.PreemptionVictim(state.State.Leases, priority)
                ?? throw DomainException.TooMany($"Camera '{Id}' already has {Leases.ViewerCapPerCamera} viewers, the most it takes; none of them may be preempted by this request.");
            await EndLeaseAsync(victim.LeaseId, LeaseEndReasons.Preempted);
            await audit.AppendAsync(new AuditEntry(now, AuditKinds.Preemption, Reason: "higher-priority-incident", CameraId: Id,
                AgencyId: victim.AgencyId, SessionId: victim.SessionId, IncidentId: decision.IncidentId, Actor: $"{subject.Agency.Id}/{subject.OperatorId}",
                Details: JsonSerializer.Serialize(new { preempted = victim.LeaseId, priority }, Json)));
        }
        await EnsureRelayAsync(camera);
        var expires = now + Leases.Lifetime;
        if (decision.ValidUntil is { } until && until < expires) expires = until;
        var lease = new StreamLease(LeaseIds.New(Id), Id, subject.SessionId, subject.Agency.Id, subject.OperatorId, request.Purpose,
            decision.IncidentId, decision.GrantId, priority, now, expires, node.PublicBaseUrl, subject.Agency);
        state.State.Leases.Add(lease);
        await state.WriteStateAsync();
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.Lease, "allow", decision.Reason, Id, subject.Agency.Id, subject.SessionId,
            decision.IncidentId, $"{subject.Agency.Id}/{subject.OperatorId}", JsonSerializer.Serialize(new { lease.LeaseId, lease.ExpiresAt, purpose = request.Purpose }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(request.Purpose)));
        ArmHousekeeping();
        return lease;
    }

    public async Task<StreamLease> RenewLeaseAsync(string leaseId, AccessDecision decision)
    {
        var lease = state.State.Leases.FirstOrDefault(l => l.LeaseId == leaseId) ?? throw DomainException.Conflict(LeaseEndReasons.Explain(LeaseEndReasons.Ended));
        if (!decision.Allowed)
        {
            await EndLeaseAsync(leaseId, decision.Reason);
            throw DomainException.Forbidden($"Access no longer holds ({decision.Reason}): {DecisionReasons.Explain(decision.Reason)}");
        }
        var now = clock.GetUtcNow();
        if (LeaseRules.Invalidity(lease, state.State.Grants, now) is { } invalid)
        {
            await EndLeaseAsync(leaseId, invalid);
            throw DomainException.Conflict($"The lease has ended ({invalid}); request a new one.");
        }
        var expires = now + Leases.Lifetime;
        if (decision.ValidUntil is { } until && until < expires) expires = until;
        var renewed = lease with { ExpiresAt = expires, GrantId = decision.GrantId, IncidentId = decision.IncidentId ?? lease.IncidentId, RelayNodeUrl = node.PublicBaseUrl };
        state.State.Leases[state.State.Leases.IndexOf(lease)] = renewed;
        _leaseDecisions.Forget(leaseId);
        await state.WriteStateAsync();
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.Lease, "renew", decision.Reason, Id, lease.AgencyId, lease.SessionId, renewed.IncidentId,
            $"{lease.AgencyId}/{lease.OperatorId}", JsonSerializer.Serialize(new { lease.LeaseId, renewed.ExpiresAt, purpose = lease.Purpose }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(lease.Purpose)));
        return renewed;
    }

    public async Task EndLeaseAsync(string leaseId, string reason)
    {
        var lease = state.State.Leases.FirstOrDefault(l => l.LeaseId == leaseId);
        if (lease is null) return;
        state.State.Leases.Remove(lease);
        _viewsStarted.Remove(leaseId);
        _leaseDecisions.Forget(leaseId);
        _recentEnds.Add(leaseId, reason);
        await state.WriteStateAsync();
        var released = reason == LeaseEndReasons.Released;
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), released ? AuditKinds.Lease : AuditKinds.Revocation, released ? "end" : "revoke", reason,
            Id, lease.AgencyId, lease.SessionId, lease.IncidentId, $"{lease.AgencyId}/{lease.OperatorId}", JsonSerializer.Serialize(new { lease.LeaseId }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(lease.Purpose)));
        if (!released)
            await GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync([new DashboardEvent(DashboardEventNames.LeaseRevoked, lease.IncidentId, _camera?.DistrictCode,
                [lease.AgencyId], JsonSerializer.Serialize(new { lease.LeaseId, cameraId = Id, sessionId = lease.SessionId, reason }, Json), clock.GetUtcNow())]);
    }

    public async Task<LeaseCheck> CheckLeaseAsync(string leaseId, string sessionId, bool playlistRequest)
    {
        var lease = state.State.Leases.FirstOrDefault(l => l.LeaseId == leaseId);
        if (lease is null || lease.SessionId != sessionId) return new LeaseCheck(false, _recentEnds.ReasonFor(leaseId) ?? LeaseEndReasons.Ended, null);
        if (await EndingReasonAsync(lease, clock.GetUtcNow()) is { } ending)
        {
            await EndLeaseAsync(leaseId, ending);
            return new LeaseCheck(false, ending, null);
        }
        if (!RelayRunning && _camera is { } camera) await EnsureRelayAsync(camera);
        if (playlistRequest && _viewsStarted.Add(leaseId))
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.View, "allow", null, Id, lease.AgencyId, lease.SessionId, lease.IncidentId,
                $"{lease.AgencyId}/{lease.OperatorId}", JsonSerializer.Serialize(new { lease.LeaseId, purpose = lease.Purpose }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(lease.Purpose)));
        return new LeaseCheck(true, null, node.PublicBaseUrl);
    }

    public ValueTask<StreamLease?> GetLeaseAsync(string leaseId) => ValueTask.FromResult(state.State.Leases.FirstOrDefault(l => l.LeaseId == leaseId));

    public async Task<CameraSnapshot> SnapshotAsync(AccessSubject subject, AccessRequest request, AccessDecision decision)
    {
        var snapshot = await CaptureAsync(subject);
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Snapshot, "allow", RelayRunning ? "live-frame" : "one-shot", Id,
            subject.Agency.Id, subject.SessionId, decision.IncidentId ?? request.IncidentId, snapshot.Viewer,
            JsonSerializer.Serialize(new { purpose = request.Purpose, grant = decision.GrantId, capturedAt = CameraSnapshot.SeoulTime(snapshot.CapturedAt) }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(request.Purpose)));
        return snapshot;
    }

    /// <summary>The relay's latest frame, or a one-shot grab, with the camera, capture time and viewer burnt in.</summary>
    private async Task<CameraSnapshot> CaptureAsync(AccessSubject subject)
    {
        var camera = await RequireAsync();
        // A running relay answers from its latest frame; its URL was checked when it started. Only a one-shot grab fetches.
        if (!RelayRunning) await RequireFetchableAsync(camera);
        var viewer = $"{subject.Agency.Id}/{subject.OperatorId}";
        try
        {
            var frame = await relays.SnapshotAsync(Id, camera.StreamUrl, CancellationToken.None);
            var capturedAt = clock.GetUtcNow();
            return new CameraSnapshot(await relays.StampAsync(Id, frame, CameraSnapshot.Caption(Id, capturedAt, viewer), CancellationToken.None), Id, capturedAt, viewer);
        }
        catch (MediaUnavailableException e)
        {
            // The camera gave no picture in time: the caller's problem to retry (503), not a fault of the node (500).
            throw DomainException.Unavailable(e.Message);
        }
    }

    public async Task<EvidenceReceipt> ExportEvidenceAsync(AccessSubject subject, AccessRequest request, AccessDecision decision, EvidenceRequest export)
    {
        var camera = await RequireAsync();
        var exportId = EvidenceStore.NewId();
        var folder = evidence.BeginBuild(exportId);
        try
        {
            DateTimeOffset from, to;
            if (export.Kind == EvidenceKind.Clip)
            {
                TimeSpan length;
                try
                {
                    length = await relays.CutClipAsync(Id, export.Seconds, Path.Combine(folder, "clip.mp4"), CancellationToken.None);
                }
                catch (MediaUnavailableException e)
                {
                    throw DomainException.Conflict(e.Message);
                }
                to = clock.GetUtcNow();
                from = to - length;
            }
            else
            {
                var snapshot = await CaptureAsync(subject);
                await File.WriteAllBytesAsync(Path.Combine(folder, "snapshot.jpg"), snapshot.Jpeg);
                from = to = snapshot.CapturedAt;
            }
            var manifest = new EvidenceManifest(EvidenceManifest.CurrentFormat, exportId, EnumNames<EvidenceKind>.NameOf(export.Kind), Id, camera.DistrictCode,
                from, to, (decision.IncidentId ?? request.IncidentId)!, EnumNames<AccessPurpose>.NameOf(request.Purpose), export.Justification,
                new EvidenceExporter(subject.Agency.Id, subject.OperatorId), MasksServed(), clock.GetUtcNow(), KeyId: "", Files: []);
            return await evidence.SealAsync(folder, manifest, subject.SessionId);
        }
        catch
        {
            EvidenceStore.Abandon(folder);
            throw;
        }
    }

    /// <summary>The privacy masks burnt into what this camera's relay serves, which an export therefore carries: none yet.</summary>
    private static string[] MasksServed() => [];

    public async Task PrewarmAsync(DateTimeOffset until)
    {
        if (await LoadAsync() is not { Status: CameraStatus.Online } camera) return;
        if (!RelayRunning && relays.RunningCameras.Count >= Leases.PrewarmMaxRelaysPerNode) return;
        if (state.State.PrewarmUntil is null || state.State.PrewarmUntil < until)
        {
            state.State.PrewarmUntil = until;
            await state.WriteStateAsync();
        }
        try
        {
            await EnsureRelayAsync(camera);
        }
        catch (DomainException e)
        {
            logger.LogInformation("Not pre-warming camera {Camera}: {Reason}", Id, e.Message);
            return;
        }
        ArmHousekeeping();
    }

    private async Task EnsureRelayAsync(CameraInfo camera)
    {
        if (RelayRunning) return;
        await RequireFetchableAsync(camera);
        if (!_upstreamClaimed)
        {
            if (!await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).TryAcquireUpstreamAsync(Id, Leases.UpstreamCapPerDistrict))
                throw DomainException.Unavailable($"District {camera.DistrictCode}'s uplink already carries {Leases.UpstreamCapPerDistrict} camera streams, its limit; try again shortly.");
            _upstreamClaimed = true;
            _upstreamClaimedAt = clock.GetUtcNow();
        }
        await relays.EnsureRunningAsync(Id, camera.StreamUrl, CancellationToken.None);
        _idleSince = null;
    }

    /// <summary>
    /// Before ffmpeg is pointed at the stored URL: a URL the stream policy refuses (say, stored by an older version, or a
    /// host name that now resolves to loopback) is never fetched; the camera goes offline, with the reason in the ledger.
    /// </summary>
    private async Task RequireFetchableAsync(CameraInfo camera)
    {
        if (await streamUrls.RefusalAsync(camera.StreamUrl, CancellationToken.None) is not { } refusal) return;
        logger.LogWarning("Camera {CameraId}'s stream URL is refused and will not be fetched: {Reason}", Id, refusal);
        if (camera.Status != CameraStatus.Offline)
            await UpdateAsync(new CameraPatch(Status: CameraStatus.Offline), "stream-url-policy", "stream-url-refused");
        throw DomainException.Conflict($"Camera '{Id}' cannot be streamed: {refusal} Its district must correct the camera's stream URL.");
    }

    /// <summary>Keeps this relay's uplink slot; a running relay is never stopped for it, even if the district re-learned more claims than its cap.</summary>
    private async Task RenewUpstreamAsync(CameraInfo camera, DateTimeOffset now)
    {
        _upstreamClaimedAt = now;
        if (!await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).TryAcquireUpstreamAsync(Id, Leases.UpstreamCapPerDistrict))
            logger.LogWarning("District {District}'s uplink is over its cap of {Cap} after its claims were re-learned; the relay of camera {Camera} keeps running",
                camera.DistrictCode, Leases.UpstreamCapPerDistrict, Id);
    }

    private async Task StopRelayAsync()
    {
        if (RelayRunning) await relays.StopAsync(Id);
        if (_upstreamClaimed && _camera is not null)
        {
            _upstreamClaimed = false;
            await GrainFactory.GetGrain<IDistrictGrain>(_camera.DistrictCode).ReleaseUpstreamAsync(Id);
        }
    }

    /// <summary>Ends every lease that no longer holds: lapsed, its grant ended, or the rule now says no for its holder.</summary>
    private async Task EndInvalidLeasesAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var lease in state.State.Leases.ToList())
            if (await EndingReasonAsync(lease, now) is { } reason)
                await EndLeaseAsync(lease.LeaseId, reason);
    }

    /// <summary>Null while the lease holds; otherwise why it must end. Cheap when nothing changed: see <see cref="LeaseDecisionCache"/>.</summary>
    private async Task<string?> EndingReasonAsync(StreamLease lease, DateTimeOffset now)
    {
        if (LeaseRules.Invalidity(lease, state.State.Grants, now) is { } invalid) return invalid;
        if (await LoadAsync() is not { } camera) return DecisionReasons.UnknownCamera;
        if (await HolderOfAsync(lease) is not { } holder) return DecisionReasons.NoRule;
        var policy = _policy is not null && now - _policyReadAt < PolicyFreshness ? _policy : await ReadPolicyAsync(camera, now);
        return LeaseRules.Revocation(_leaseDecisions.Decide(lease, holder, camera, policy, state.State.Grants, _grantsVersion, now));
    }

    private async Task<SharingPolicy> ReadPolicyAsync(CameraInfo camera, DateTimeOffset now)
    {
        _policy = await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).GetPolicyAsync();
        _policyReadAt = now;
        return _policy;
    }

    /// <summary>The holder's agency as the lease recorded it; a lease persisted before holders were recorded learns it once.</summary>
    private async Task<AgencyInfo?> HolderOfAsync(StreamLease lease)
    {
        if (lease.Holder is { } holder) return holder;
        if (await GrainFactory.GetGrain<IAgencyGrain>(lease.AgencyId).GetAsync() is not { } agency) return null;
        var index = state.State.Leases.IndexOf(lease);
        if (index >= 0) state.State.Leases[index] = lease with { Holder = agency };
        return agency;
    }

    /// <summary>Once a second while the relay runs or leases are open: end leases that lapsed, and stop an idle relay after the linger period.</summary>
    private void ArmHousekeeping()
    {
        _housekeeping ??= this.RegisterGrainTimer(HousekeepAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true });
    }

    private async Task HousekeepAsync()
    {
        await EndInvalidLeasesAsync();
        var now = clock.GetUtcNow();
        if (_upstreamClaimed && _camera is not null && now - _upstreamClaimedAt >= Leases.UpstreamClaimRenewal) await RenewUpstreamAsync(_camera, now);
        var warm = state.State.PrewarmUntil > now;
        if (state.State.Leases.Count > 0 || warm)
        {
            _idleSince = null;
            return;
        }
        _idleSince ??= now;
        if (now - _idleSince < mediaOptions.Value.LingerPeriod && RelayRunning) return;
        await StopRelayAsync();
        if (state.State.PrewarmUntil is not null)
        {
            state.State.PrewarmUntil = null;
            await state.WriteStateAsync();
        }
        _housekeeping?.Dispose();
        _housekeeping = null;
        _idleSince = null;
    }
}
