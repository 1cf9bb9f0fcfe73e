using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
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
using SafetyNet.Grains.Access;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Districts;
using SafetyNet.Grains.Evidence;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Placement;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Platform;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// One camera: it decides access to itself from its district's policy and the grants that cover it, issues stream leases,
/// and owns its stream. The stream runs on the silo where this grain is active, so there is one upstream pull per camera in
/// the whole cluster. Each open lease, and each incident's pre-warm, is a consumer of it; its lifecycle (linger after the
/// last consumer, restarts, stop) is the stream's own (see <see cref="CameraStreamMachine"/>). This grain claims the
/// district's uplink slot before the stream starts and gives it back once the stream is idle.
/// </summary>
[EncodeRoomFilter]
public sealed partial class CameraGrain(
    [PersistentState("camera", StorageNames.Default)] IPersistentState<CameraState> state,
    CameraIndex index,
    IAuditLedger audit,
    SafetyNetMetrics metrics,
    RelayHost relays,
    StreamUrlGuard streamUrls,
    DistrictPolicyCache policies,
    IOptions<LeaseOptions> leaseOptions,
    IOptions<PrivacyMaskOptions> maskOptions,
    IOptions<MediaOptions> mediaOptions,
    EvidenceSealer evidence,
    NodeEndpoint node,
    LocalSiloStatus localSilo,
    EncodeRoomBoard encodeRooms,
    TimeProvider clock,
    ILogger<CameraGrain> logger) : Grain, ICameraGrain
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public const string MasksGuardActor = CameraStatusSetters.MasksGuard;
    private const string MasksRestored = "masks-restored";

    private readonly HashSet<string> _viewsStarted = new(StringComparer.Ordinal);
    private readonly LeaseDecisionCache _leaseDecisions = new();
    private readonly RecentLeaseEnds _recentEnds = new();
    private CameraInfo? _camera;
    /// <summary>The grants covering this camera, as its district's grant registry last told it (in memory only).</summary>
    private AccessGrant[] _grants = [];
    /// <summary>Bumped on every change of <see cref="_grants"/>, for <see cref="LeaseDecisionCache"/>.</summary>
    private long _grantsVersion;
    /// <summary>The registry this camera subscribed to and the version of its last answer; an older answer arriving late is ignored.</summary>
    private (string Registry, long Version)? _grantSource;
    private IGrainTimer? _housekeeping;
    /// <summary>When this camera last claimed (or renewed) its slot on the district's uplink; null while it holds none.</summary>
    private DateTimeOffset? _upstreamClaimedAt;
    /// <summary>The masks' picture, rendered once per change rather than on every relay start.</summary>
    private (RelayMask? Mask, bool Rendered) _relayMask;
    private bool _masksLossReported;
    /// <summary>The fingerprint of this record's masks, computed once per change (<see cref="MasksDisagree"/>).</summary>
    private string? _recordMasksDigest;

    private string Id => this.GetPrimaryKeyString();
    private LeaseOptions Leases => leaseOptions.Value;
    private bool RelayRunning => relays.StatusOf(Id).State != StreamState.Idle;
    private bool Masked => state.State.Masks.Count > 0;

    private RelayMask? CurrentRelayMask
    {
        get
        {
            RefuseIfMasksLost();
            if (!_relayMask.Rendered) _relayMask = (RelayMask.For(state.State.Masks, maskOptions.Value.FillColor), true);
            return _relayMask.Mask;
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync();
        await WithholdIfMasksLostAsync();
        if (state.State.Leases.Count > 0) ArmHousekeeping();
        ArmOfflineRecheck();
        // An incident's pre-warm holds for the incident's life, also across a move of this grain to another silo.
        foreach (var (incidentId, until) in state.State.Prewarms.Where(p => p.Value > clock.GetUtcNow()).ToList())
            await HoldPrewarmAsync(incidentId, until);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await relays.StopAsync(Id);
        // The last silo to leave takes every district's uplink claims with it; a release would only meet a placement with no
        // silo left to place the district on, and Orleans would log it as an error at every stop of a single node.
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown || localSilo.AnotherSiloActive) await ReleaseUpstreamAsync();
        // A silo shutting down takes its registries' subscriptions with it; a registry's next activation presumes them all.
        if (_grantSource is { Registry: var registry } && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
            await GrainFactory.GetGrain<IGrantRegistryGrain>(registry).UnsubscribeAsync(Id);
    }

    /// <summary>
    /// Finds this camera's catalog entry, from this silo's index when it holds the camera (no district call), and learns
    /// the grants covering it. A camera imported moments ago on another silo may not be in this silo's index yet, so a
    /// miss is retried on the next call rather than remembered.
    /// </summary>
    private async ValueTask<CameraInfo?> LoadAsync()
    {
        if (_camera is not null) return _camera;
        var indexed = index.Current.Find(Id);
        var district = state.State.DistrictCode ?? indexed?.DistrictCode;
        if (indexed is not null && indexed.DistrictCode == district) _camera = WithOwnStatus(indexed);
        else if (district is not null)
            _camera = WithOwnStatus(await GrainFactory.GetGrain<IDistrictGrain>(district).GetCameraAsync(Id));
        // This silo's index may not have learnt yet of the masks' last change: the district decides before a refusal.
        if (MasksDisagree && indexed is not null)
            _camera = WithOwnStatus(await GrainFactory.GetGrain<IDistrictGrain>(_camera!.DistrictCode).GetCameraAsync(Id));
        if (_camera is not null) await SubscribeGrantsAsync(GrantRegistryKey.For(_camera));
        return _camera;
    }

    private async Task SubscribeGrantsAsync(string registry)
    {
        if (_grantSource?.Registry == registry) return;
        if (_grantSource is { Registry: var previous }) await GrainFactory.GetGrain<IGrantRegistryGrain>(previous).UnsubscribeAsync(Id);
        _grantSource = null;
        var grants = await GrainFactory.GetGrain<IGrantRegistryGrain>(registry).SubscribeAsync(Id);
        _grantSource = (registry, long.MinValue);
        ApplyGrants(grants);
    }

    public async Task GrantsChangedAsync(CameraGrants grants)
    {
        // A push may be what activates this camera; the subscription made on activation already holds this answer or a later one.
        if (!ApplyGrants(grants)) return;
        if (state.State.Leases.Count == 0) return;
        await EndInvalidLeasesAsync();
        ArmHousekeeping();
    }

    private bool ApplyGrants(CameraGrants grants)
    {
        if (_grantSource is not { } source || grants.Version <= source.Version) return false;
        _grantSource = source with { Version = grants.Version };
        _grants = grants.Grants;
        _grantsVersion++;
        return true;
    }

    /// <summary>The status is this grain's own once set, so a decision sees it at once, whatever the catalog or the index say.</summary>
    private CameraInfo? WithOwnStatus(CameraInfo? camera) =>
        camera is not null && state.State.Status is { } status && status != camera.Status ? camera with { Status = status } : camera;

    private async Task<CameraInfo> RequireAsync() => await LoadAsync() ?? throw DomainException.NotFound($"There is no camera with id '{Id}'.");

    public ValueTask<CameraInfo?> GetAsync() => LoadAsync();

    public Task<CameraInfo> UpdateAsync(CameraPatch patch, string actor) => UpdateAsync(patch, actor, reason: null);

    /// <param name="cause">Why an offline camera is offline (<see cref="CameraStatusCauses"/>), kept with its status.</param>
    private async Task<CameraInfo> UpdateAsync(CameraPatch patch, string actor, string? reason, string? cause = null)
    {
        var camera = await RequireAsync();
        if (patch.Status is { } status && !Enum.IsDefined(status))
            throw DomainException.Invalid($"status must be one of: {EnumNames<CameraStatus>.Expected}.");
        if (patch.Status is { } changed && changed != camera.Status)
        {
            state.State.Status = changed;
            state.State.StatusChangedAt = clock.GetUtcNow();
            state.State.StatusSetBy = actor;
            state.State.StatusCause = changed == CameraStatus.Offline ? cause : null;
            state.State.DistrictCode ??= camera.DistrictCode;
            await state.WriteStateAsync();
            ArmOfflineRecheck();
        }
        // The district records the status (a small delta for the indexes) and changes its catalog only for catalog fields.
        var updated = WithOwnStatus(await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).UpdateCameraAsync(Id, patch))
            ?? throw DomainException.NotFound($"There is no camera with id '{Id}'.");
        _camera = updated;
        // The ledger is read by auditors, who may not hold the camera's credentials.
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.CameraChange, Reason: reason, CameraId: Id, Actor: actor,
            Details: JsonSerializer.Serialize(patch with
            {
                StreamUrl = patch.StreamUrl is { } url ? StreamUrls.Redact(url) : null,
                OnvifUrl = patch.OnvifUrl is { } onvif ? StreamUrls.Redact(onvif) : null,
            }, Json)));
        await EndInvalidLeasesAsync();
        return updated;
    }

    public Task SetStatusAsync(CameraStatus status, string actor, string? cause = null) => UpdateAsync(new CameraPatch(Status: status), actor, cause, cause);

    /// <summary>Told by the district after an import changed this camera; an imported status replaces the camera's own.</summary>
    public async Task OnCatalogChangedAsync(CameraInfo camera)
    {
        _camera = camera;
        var statusChanged = state.State.Status is { } own && own != camera.Status;
        if (state.State.DistrictCode != camera.DistrictCode || statusChanged)
        {
            state.State.DistrictCode = camera.DistrictCode;
            if (statusChanged)
            {
                state.State.Status = camera.Status;
                state.State.StatusChangedAt = clock.GetUtcNow();
                state.State.StatusSetBy = CameraStatusSetters.Import;
                state.State.StatusCause = null;
                ArmOfflineRecheck();
            }
            await state.WriteStateAsync();
        }
        await SubscribeGrantsAsync(GrantRegistryKey.For(camera));
        await EndInvalidLeasesAsync();
    }

    public Task<AccessDecision> DecideAsync(AccessSubject subject, AccessRequest request) => DecideAuditedAsync(subject, request);

    public async Task<LeaseOutcome> DecideAndLeaseAsync(AccessSubject subject, AccessRequest request, int priority)
    {
        var decision = await DecideAuditedAsync(subject, request);
        if (!decision.Allowed) return new LeaseOutcome(decision, null);
        // A lease under an incident's grant takes the incident's priority when that is higher.
        if (decision.GrantId is { } grantId && _grants.FirstOrDefault(g => g.GrantId == grantId) is { Priority: >= 1 } grant)
            priority = Math.Min(priority, grant.Priority);
        return new LeaseOutcome(decision, await OpenLeaseAsync(subject, request, decision, priority));
    }

    private async Task<AccessDecision> DecideAuditedAsync(AccessSubject subject, AccessRequest request)
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
            JsonSerializer.Serialize(new { purpose = request.Purpose, grant = decision.GrantId }, Json), _camera?.DistrictCode,
            EnumNames<AccessPurpose>.NameOf(request.Purpose)));
        return decision;
    }

    public async Task<AccessDecision> PreviewAsync(AccessSubject subject, AccessRequest request) =>
        await EvaluateAsync(subject, request, clock.GetUtcNow());

    private async Task<AccessDecision> EvaluateAsync(AccessSubject subject, AccessRequest request, DateTimeOffset now)
    {
        if (await LoadAsync() is not { } camera) return AccessDecision.Deny(Id, DecisionReasons.UnknownCamera);
        if (MasksLost) return AccessDecision.Deny(Id, DecisionReasons.MasksLost);
        var policy = await policies.GetAsync(camera.DistrictCode);
        var access = RecordedVideoRules.Decide(AccessRules.Decide(camera, policy, _grants, subject, request, now), camera, policy, _grants, subject.Agency);
        return UnmaskRules.Decide(access, Masked, _grants, subject, request);
    }

    public ValueTask<CameraMasks> GetMasksAsync() => ValueTask.FromResult(MasksView());

    public async Task<CameraMasks> SetMasksAsync(MaskPolygon[] polygons, string actor)
    {
        if (PrivacyMaskRules.Problem(polygons, maskOptions.Value) is { } problem) throw DomainException.Invalid(problem);
        var camera = await RequireAsync();
        var before = state.State.Masks.Count;
        // The ledger first, then the district's note of the masks (their fingerprint), then this record; the note is forgotten
        // only after. A failure in between leaves the camera refused (RefuseIfMasksLost, MaskNotesCheck), never served
        // unmasked or with older masks. The admin's next edit repairs it.
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.MaskChange, polygons.Length == 0 ? "cleared" : before == 0 ? "set" : "replaced",
            CameraId: Id, Actor: actor, DistrictCode: camera.DistrictCode, Details: JsonSerializer.Serialize(new { before, polygons }, Json)));
        if (polygons.Length > 0) camera = await NoteMasksAsync(camera, MasksDigest.Of(polygons));
        state.State.Masks = [.. polygons];
        state.State.MasksUpdatedAt = clock.GetUtcNow();
        state.State.MasksUpdatedBy = actor;
        state.State.DistrictCode ??= camera.DistrictCode;
        _relayMask = default;
        await state.WriteStateAsync();
        _recordMasksDigest = null;
        if (polygons.Length == 0) camera = await NoteMasksAsync(camera, null);
        await ReturnFromWithheldAsync();
        // The running relay restarts with the new masks; every viewer's next segment shows them.
        relays.Reconfigure(Id, camera.StreamUrl, CurrentRelayMask);
        return MasksView();
    }

    private async Task<CameraInfo> NoteMasksAsync(CameraInfo camera, string? masksDigest)
    {
        _camera = WithOwnStatus(await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).NoteMasksAsync(Id, masksDigest)) ?? camera;
        return _camera;
    }

    /// <summary>
    /// The district notes this camera as masked, but its own record holds no mask, or not the masks last set (by their
    /// fingerprint; masks set before fingerprints were kept have one once their district has read the ledger's mask edits,
    /// <see cref="Districts.MaskNotesCheck"/>). A record put back from an older copy is still sealed as this camera's own, so
    /// only the district's note tells it from the newest.
    /// </summary>
    private bool MasksDisagree => _camera is { Masked: true } noted
        && (!Masked || noted.MasksDigest is { } digest && digest != (_recordMasksDigest ??= MasksDigest.Of(state.State.Masks)));

    /// <summary>
    /// The record was deleted, or replaced by an older one, in the database (<see cref="MasksDisagree"/>). Nothing is shown
    /// from it (fail closed) until its admin sets the masks again.
    /// </summary>
    private bool MasksLost
    {
        get
        {
            if (!MasksDisagree) return false;
            if (!_masksLossReported)
            {
                _masksLossReported = true;
                metrics.StoredStateRefused();
                logger.LogCritical("The stored record of camera {CameraId} holds {What}, but its district notes the camera as masked with the masks last set: " +
                                   "the record was deleted or replaced in the database. Every view of it is denied until its admin sets its masks again",
                    Id, Masked ? "other privacy masks than those last set" : "no privacy mask");
            }
            return true;
        }
    }

    /// <summary>For the stream's own paths (a relay started for a pre-warm, a reconfiguration), which no decision guards.</summary>
    private void RefuseIfMasksLost()
    {
        if (!MasksLost) return;
        throw DomainException.StateRefused($"Camera {Id}: {DecisionReasons.Explain(DecisionReasons.MasksLost)}");
    }

    public async Task ConfirmMasksRecordAsync()
    {
        await LoadAsync();
        await WithholdIfMasksLostAsync();
        // Every masked camera of a district is woken for this at the district's start: one nothing else holds goes back to sleep.
        if (state.State.Leases.Count == 0 && state.State.Prewarms.Count == 0 && !RelayRunning) DeactivateOnIdle();
    }

    /// <summary>
    /// A camera refused for a lost masks record goes offline, with the reason in the ledger, so that the map does not show it
    /// as one to open and no incident selects it. Its status before is kept for <see cref="ReturnFromWithheldAsync"/>.
    /// </summary>
    private async Task WithholdIfMasksLostAsync()
    {
        if (!MasksLost || _camera is not { } camera || camera.Status == CameraStatus.Offline) return;
        state.State.StatusBeforeWithheld = camera.Status;
        await UpdateAsync(new CameraPatch(Status: CameraStatus.Offline), MasksGuardActor, DecisionReasons.MasksLost, CameraStatusCauses.MasksLost);
    }

    /// <summary>The masks are set again: a camera taken offline for their loss gets its status back.</summary>
    private async Task ReturnFromWithheldAsync()
    {
        if (state.State.StatusBeforeWithheld is not { } before) return;
        state.State.StatusBeforeWithheld = null;
        await state.WriteStateAsync();
        await UpdateAsync(new CameraPatch(Status: before), MasksGuardActor, MasksRestored);
    }

    public async Task<CameraSnapshot> MaskEditingFrameAsync(string agencyId, string actor)
    {
        var frame = await CaptureAsync(await RequireAsync(), actor, mask: null);
        const string Reason = "mask-editing";
        var details = JsonSerializer.Serialize(new { capturedAt = CameraSnapshot.SeoulTime(frame.CapturedAt), polygons = state.State.Masks.Count }, Json);
        await audit.AppendAsync(new AuditEntry(frame.CapturedAt, AuditKinds.Snapshot, "allow", Reason, Id, agencyId, Actor: actor, Details: details));
        if (Masked)
            await audit.AppendAsync(new AuditEntry(frame.CapturedAt, AuditKinds.UnmaskedView, "allow", Reason, Id, agencyId, Actor: actor, Details: details,
                Justification: "drawing the camera's privacy masks"));
        return frame;
    }

    private CameraMasks MasksView() => new(Id, [.. state.State.Masks], state.State.MasksUpdatedAt, state.State.MasksUpdatedBy);

    /// <summary>The rendition a lease sees: a masked camera's, unless the lease holds the unmasked right.</summary>
    private MediaRendition RenditionFor(bool unmasked) => Masked && !unmasked ? MediaRendition.Masked : MediaRendition.Original;

    /// <summary>Each use of the unmasked right, with its basis (grant or supervisor) and the reason given, for the misuse rules.</summary>
    private Task AuditUnmaskedAsync(AccessSubject subject, AccessRequest request, AccessDecision decision, string channel) =>
        audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.UnmaskedView, "allow", UnmaskRules.Basis(decision, _grants, subject), Id,
            subject.Agency.Id, subject.SessionId, decision.IncidentId ?? request.IncidentId, $"{subject.Agency.Id}/{subject.OperatorId}",
            JsonSerializer.Serialize(new { channel, grant = decision.GrantId, polygons = state.State.Masks.Count }, Json),
            Purpose: EnumNames<AccessPurpose>.NameOf(request.Purpose), Justification: request.UnmaskedReason));

    public ValueTask<IReadOnlyList<AccessGrant>> GetGrantsAsync()
    {
        var now = clock.GetUtcNow();
        return ValueTask.FromResult<IReadOnlyList<AccessGrant>>(_grants.Where(g => g.IsActiveAt(now)).ToArray());
    }

    /// <summary>Opens a lease for a subject whose access was just decided (allowed); starts the relay if needed.</summary>
    private async Task<StreamLease> OpenLeaseAsync(AccessSubject subject, AccessRequest request, AccessDecision decision, int priority)
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
        var expires = now + Leases.Lifetime;
        if (decision.ValidUntil is { } until && until < expires) expires = until;
        var lease = new StreamLease(LeaseIds.New(Id), Id, subject.SessionId, subject.Agency.Id, subject.OperatorId, request.Purpose,
            decision.IncidentId, decision.GrantId, priority, now, expires, node.PublicBaseUrl, subject.Agency,
            Unmasked: decision.Unmasked, UnmaskedReason: decision.Unmasked ? request.UnmaskedReason : null, RecordedVideo: decision.RecordedVideo, Ptz: decision.Ptz);
        await AcquireStreamAsync(camera, StreamConsumer.ViewerOf(lease));
        state.State.Leases.Add(lease);
        await state.WriteStateAsync();
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.Lease, "allow", decision.Reason, Id, subject.Agency.Id, subject.SessionId,
            decision.IncidentId, $"{subject.Agency.Id}/{subject.OperatorId}", JsonSerializer.Serialize(new { lease.LeaseId, lease.ExpiresAt, purpose = request.Purpose, rendition = RenditionFor(lease.Unmasked) }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(request.Purpose)));
        if (decision.Unmasked) await AuditUnmaskedAsync(subject, request, decision, "lease");
        ArmHousekeeping();
        return lease;
    }

    public async Task<StreamLease> RenewLeaseAsync(string leaseId, AccessDecision decision)
    {
        var lease = state.State.Leases.FirstOrDefault(l => l.LeaseId == leaseId) ?? throw DomainException.Conflict(LeaseEndReasons.Explain(LeaseEndReasons.Ended));
        var now = clock.GetUtcNow();
        if (LeaseRules.RefuseRenewal(lease, _grants, decision, now) is { } refusal)
        {
            await EndLeaseAsync(leaseId, refusal.Reason);
            throw refusal.ToException();
        }
        var expires = now + Leases.Lifetime;
        if (decision.ValidUntil is { } until && until < expires) expires = until;
        var renewed = lease with { ExpiresAt = expires, GrantId = decision.GrantId, IncidentId = decision.IncidentId ?? lease.IncidentId, RelayNodeUrl = node.PublicBaseUrl, RecordedVideo = decision.RecordedVideo, Ptz = decision.Ptz };
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
        relays.Release(Id, leaseId);
        _viewsStarted.Remove(leaseId);
        _rewound.Remove(leaseId);
        _leaseDecisions.Forget(leaseId);
        _recentEnds.Add(leaseId, reason);
        await state.WriteStateAsync();
        // A lapse is the viewer's side failing to renew (a stalled browser, a lost network), not a decision: on-call needs to tell them apart.
        if (reason == LeaseEndReasons.Expired)
            logger.LogInformation("Lease {LeaseId} of {Actor} on camera {CameraId} lapsed: no renewal arrived before {ExpiresAt:O}",
                leaseId, $"{lease.AgencyId}/{lease.OperatorId}", Id, lease.ExpiresAt);
        var released = reason == LeaseEndReasons.Released;
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), released ? AuditKinds.Lease : AuditKinds.Revocation, released ? "end" : "revoke", reason,
            Id, lease.AgencyId, lease.SessionId, lease.IncidentId, $"{lease.AgencyId}/{lease.OperatorId}", JsonSerializer.Serialize(new { lease.LeaseId }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(lease.Purpose)));
        if (!released)
            await GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync([new DashboardEvent(DashboardEventNames.LeaseRevoked, lease.IncidentId, _camera?.DistrictCode,
                [lease.AgencyId], JsonSerializer.Serialize(new { lease.LeaseId, cameraId = Id, sessionId = lease.SessionId, reason }, Json), clock.GetUtcNow())]);
    }

    public async Task EncodeYieldedAsync(string[] leaseIds, string forCameraId)
    {
        foreach (var lease in state.State.Leases.Where(l => leaseIds.Contains(l.LeaseId)).ToList())
        {
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Preemption, Reason: LeaseEndReasons.EncodeYielded, CameraId: Id,
                AgencyId: lease.AgencyId, SessionId: lease.SessionId, Actor: "relay",
                Details: JsonSerializer.Serialize(new { preempted = lease.LeaseId, forCamera = forCameraId, lease.Priority }, Json)));
            await EndLeaseAsync(lease.LeaseId, LeaseEndReasons.EncodeYielded);
        }
    }

    public async Task<LeaseCheck> CheckLeaseAsync(string leaseId, string sessionId, bool playlistRequest)
    {
        var lease = state.State.Leases.FirstOrDefault(l => l.LeaseId == leaseId);
        if (lease is null || lease.SessionId != sessionId) return new LeaseCheck(false, _recentEnds.ReasonFor(leaseId) ?? LeaseEndReasons.Ended, null, MediaRendition.Masked);
        if (await EndingReasonAsync(lease, clock.GetUtcNow()) is { } ending)
        {
            await EndLeaseAsync(leaseId, ending);
            return new LeaseCheck(false, ending, null, MediaRendition.Masked);
        }
        // Idempotent: after this grain moved to another silo, the first media request starts the stream here again.
        if (_camera is { } camera) await AcquireStreamAsync(camera, StreamConsumer.ViewerOf(lease));
        if (playlistRequest && _viewsStarted.Add(leaseId))
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.View, "allow", null, Id, lease.AgencyId, lease.SessionId, lease.IncidentId,
                $"{lease.AgencyId}/{lease.OperatorId}", JsonSerializer.Serialize(new { lease.LeaseId, purpose = lease.Purpose }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(lease.Purpose)));
        return new LeaseCheck(true, null, node.PublicBaseUrl, RenditionFor(lease.Unmasked), MayFetchWindow(lease));
    }

    public ValueTask<StreamLease?> GetLeaseAsync(string leaseId) => ValueTask.FromResult(state.State.Leases.FirstOrDefault(l => l.LeaseId == leaseId));

    public async Task<StreamLease[]> SessionLeasesAsync(string sessionId)
    {
        await EndInvalidLeasesAsync();
        return state.State.Leases.Where(l => l.SessionId == sessionId).ToArray();
    }

    public async Task<CameraSnapshot> SnapshotAsync(AccessSubject subject, AccessRequest request, AccessDecision decision)
    {
        var viewer = $"{subject.Agency.Id}/{subject.OperatorId}";
        var snapshot = await CaptureAsync(await RequireAsync(), viewer, RenditionFor(decision.Unmasked) == MediaRendition.Masked ? CurrentRelayMask : null);
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Snapshot, "allow", RelayRunning ? "live-frame" : "one-shot", Id,
            subject.Agency.Id, subject.SessionId, decision.IncidentId ?? request.IncidentId, viewer,
            JsonSerializer.Serialize(new { purpose = request.Purpose, grant = decision.GrantId, capturedAt = CameraSnapshot.SeoulTime(snapshot.CapturedAt), rendition = RenditionFor(decision.Unmasked) }, Json), Purpose: EnumNames<AccessPurpose>.NameOf(request.Purpose)));
        if (decision.Unmasked) await AuditUnmaskedAsync(subject, request, decision, "snapshot");
        return snapshot;
    }

    /// <summary>A stamped JPEG (masked when <paramref name="mask"/> is given): the relay's latest frame when it runs, else a one-shot grab.</summary>
    private async Task<CameraSnapshot> CaptureAsync(CameraInfo camera, string viewer, RelayMask? mask)
    {
        // A running relay answers from its latest frame; its URL was checked when it started. Only a one-shot grab fetches.
        if (!RelayRunning) await RequireFetchableAsync(camera);
        try
        {
            var frame = await relays.SnapshotAsync(Id, camera.StreamUrl, CancellationToken.None);
            var capturedAt = clock.GetUtcNow();
            return new CameraSnapshot(await relays.StampAsync(Id, frame, CameraSnapshot.Caption(Id, capturedAt, viewer), mask, CancellationToken.None), Id, capturedAt, viewer);
        }
        catch (MediaUnavailableException e)
        {
            // The camera gave no picture in time: the caller's problem to retry (503), not a fault of the node (500).
            throw DomainException.Unavailable(e.Message, e.Reason ?? RefusalReasons.CameraNoPicture);
        }
    }

    public async Task<EvidenceReceipt> ExportEvidenceAsync(AccessSubject subject, AccessRequest request, AccessDecision decision, EvidenceRequest export)
    {
        var camera = await RequireAsync();
        var rendition = RenditionFor(decision.Unmasked);
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
                    length = await relays.CutClipAsync(Id, export.Seconds, Path.Combine(folder, "clip.mp4"), rendition, CancellationToken.None);
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
                var snapshot = await CaptureAsync(camera, $"{subject.Agency.Id}/{subject.OperatorId}", rendition == MediaRendition.Masked ? CurrentRelayMask : null);
                await File.WriteAllBytesAsync(Path.Combine(folder, "snapshot.jpg"), snapshot.Jpeg);
                from = to = snapshot.CapturedAt;
            }
            var manifest = new EvidenceManifest(EvidenceManifest.CurrentFormat, exportId, EnumNames<EvidenceKind>.NameOf(export.Kind), Id, camera.DistrictCode,
                from, to, (decision.IncidentId ?? request.IncidentId)!, EnumNames<AccessPurpose>.NameOf(request.Purpose), export.Justification,
                new EvidenceExporter(subject.Agency.Id, subject.OperatorId), MasksServed(rendition), clock.GetUtcNow(), KeyId: "", Files: []);
            return await evidence.SealAsync(folder, manifest, subject.SessionId);
        }
        catch
        {
            EvidenceStore.Abandon(folder);
            throw;
        }
    }

    /// <summary>The privacy-mask polygons burnt into the rendition an export was cut from, as "x,y x,y ..." fractions of the frame.</summary>
    private string[] MasksServed(MediaRendition rendition) => rendition == MediaRendition.Masked
        ? state.State.Masks.Select(m => string.Join(' ', m.Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.####},{p.Y:0.####}")))).ToArray()
        : [];

    public async Task PrewarmAsync(string incidentId, DateTimeOffset until)
    {
        if (until <= clock.GetUtcNow() || await LoadAsync() is not { Status: CameraStatus.Online }) return;
        if (!RelayRunning && relays.RunningCameras.Count >= Leases.PrewarmMaxRelaysPerNode) return;
        if (!state.State.Prewarms.TryGetValue(incidentId, out var held) || held != until)
        {
            ForgetLapsedPrewarms();
            state.State.Prewarms[incidentId] = until;
            await state.WriteStateAsync();
        }
        await HoldPrewarmAsync(incidentId, until);
    }

    public async Task EndPrewarmAsync(string incidentId)
    {
        relays.Release(Id, StreamConsumer.Prewarm(incidentId, default).Id);
        if (state.State.Prewarms.Remove(incidentId) | ForgetLapsedPrewarms()) await state.WriteStateAsync();
    }

    private bool ForgetLapsedPrewarms()
    {
        var now = clock.GetUtcNow();
        return state.State.Prewarms.Where(p => p.Value <= now).Select(p => p.Key).ToList().Count(state.State.Prewarms.Remove) > 0;
    }

    private async Task HoldPrewarmAsync(string incidentId, DateTimeOffset until)
    {
        if (await LoadAsync() is not { } camera) return;
        try
        {
            await AcquireStreamAsync(camera, StreamConsumer.Prewarm(incidentId, until));
        }
        catch (DomainException e)
        {
            logger.LogInformation("Not pre-warming camera {Camera}: {Reason}", Id, e.Message);
        }
    }

    /// <summary>
    /// Adds the consumer to this camera's stream. A stream about to start has its URL checked first; the district's uplink
    /// slot is claimed before the stream starts (503 when the district is at its cap) and given back once it is idle.
    /// </summary>
    private async Task AcquireStreamAsync(CameraInfo camera, StreamConsumer consumer)
    {
        if (!RelayRunning) await RequireFetchableAsync(camera);
        var claimed = _upstreamClaimedAt is null;
        if (claimed)
        {
            if (!await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).TryAcquireUpstreamAsync(Id, Leases.UpstreamCapPerDistrict))
                throw DomainException.Unavailable($"District {camera.DistrictCode}'s uplink already carries {Leases.UpstreamCapPerDistrict} camera streams, its limit; try again shortly.",
                    RefusalReasons.DistrictUplinkFull);
            _upstreamClaimedAt = clock.GetUtcNow();
        }
        ArmHousekeeping();
        try
        {
            relays.Acquire(Id, camera.StreamUrl, CurrentRelayMask, consumer);
        }
        catch (Exception e)
        {
            // The stream did not start here (the node too busy to encode it, say): the district's slot goes back now, not at
            // the next housekeeping.
            if (claimed) await ReleaseUpstreamAsync();
            if (e is DomainException { Reason: RefusalReasons.NodeBusyEncoding }) await MoveWhereEncodeFitsAsync();
            throw;
        }
    }

    /// <summary>
    /// This node is too busy to encode the camera: asks the other active silos whether one would start the encode, and moves
    /// this grain to the one with the most room once it is idle (Orleans' migration, that silo as the placement hint). Its
    /// stream runs wherever it is active, so the viewer's next request, after the Retry-After, starts the encode there. Its
    /// state goes with it; no relay of it runs here. A silo that does not answer within a second is passed over.
    /// </summary>
    private async Task MoveWhereEncodeFitsAsync()
    {
        var rooms = await encodeRooms.AskOthersAsync();
        if (rooms.Count == 0) return;
        var roomy = rooms.Where(r => r.Room is { HasRoom: true }).OrderBy(r => r.Room!.WithOneMore).ToList();
        if (roomy is not [var (target, room), ..])
        {
            logger.LogWarning("Camera {CameraId} must be encoded and this node is too busy; none of the {Others} other active silo(s) has room either", Id, rooms.Count);
            return;
        }
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        MigrateOnIdle();
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        metrics.CameraMovedToEncode();
        logger.LogWarning("Camera {CameraId} must be encoded and this node is too busy: moving it to silo {Silo}, whose CPUs were {Busy:P0} busy, about {WithOneMore:P0} " +
            "with one more encode", Id, target, room!.Busy ?? 0, room.WithOneMore);
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
            await UpdateAsync(new CameraPatch(Status: CameraStatus.Offline), CameraStatusSetters.StreamUrlPolicy, RefusalReasons.StreamUrlRefused, CameraStatusCauses.UrlRefused);
        throw DomainException.Conflict($"Camera '{Id}' cannot be streamed: {refusal} Its district must correct the camera's stream URL.",
            RefusalReasons.StreamUrlRefused);
    }

    /// <summary>Keeps this relay's uplink slot; a running relay is never stopped for it, even if the district re-learned more claims than its cap.</summary>
    private async Task RenewUpstreamAsync(CameraInfo camera, DateTimeOffset now)
    {
        _upstreamClaimedAt = now;
        if (!await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).TryAcquireUpstreamAsync(Id, Leases.UpstreamCapPerDistrict))
            logger.LogWarning("District {District}'s uplink is over its cap of {Cap} after its claims were re-learned; the relay of camera {Camera} keeps running",
                camera.DistrictCode, Leases.UpstreamCapPerDistrict, Id);
    }

    private async Task ReleaseUpstreamAsync()
    {
        if (_upstreamClaimedAt is null || _camera is null) return;
        _upstreamClaimedAt = null;
        await GrainFactory.GetGrain<IDistrictGrain>(_camera.DistrictCode).ReleaseUpstreamAsync(Id);
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
        if (LeaseRules.Invalidity(lease, _grants, now) is { } invalid) return invalid;
        if (await LoadAsync() is not { } camera) return DecisionReasons.UnknownCamera;
        if (await HolderOfAsync(lease) is not { } holder) return DecisionReasons.NoRule;
        var policy = await policies.GetAsync(camera.DistrictCode);
        return LeaseRules.Revocation(_leaseDecisions.Decide(lease, holder, camera, policy, _grants, _grantsVersion, now));
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

    /// <summary>Once a second while the stream runs, leases are open or an uplink slot is held: end leases that lapsed, keep the slot while the stream runs, give it back once the stream is idle.</summary>
    private void ArmHousekeeping()
    {
        _housekeeping ??= this.RegisterGrainTimer(HousekeepAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true });
    }

    private async Task HousekeepAsync()
    {
        await EndInvalidLeasesAsync();
        var now = clock.GetUtcNow();
        if (!RelayRunning) await ReleaseUpstreamAsync();
        else if (_camera is not null && now - _upstreamClaimedAt >= Leases.UpstreamClaimRenewal) await RenewUpstreamAsync(_camera, now);
        if (RelayRunning || state.State.Leases.Count > 0 || _upstreamClaimedAt is not null) return;
        if (ForgetLapsedPrewarms()) await state.WriteStateAsync();
        _housekeeping?.Dispose();
        _housekeeping = null;
    }
}
