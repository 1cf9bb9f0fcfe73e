using System.Text.Json;
using SafetyNet.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Cameras;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Districts;

/// <summary>A district office: the owner of its camera catalog and of the policy that says who may see which cameras.</summary>
public sealed class DistrictGrain(
    [PersistentState("district", StorageNames.Default)] IPersistentState<DistrictState> state,
    [PersistentState("district-status", StorageNames.Default)] IPersistentState<DistrictStatusState> statusState,
    IAuditLedger audit,
    IOptions<LeaseOptions> leaseOptions,
    DistrictPolicyCache policies,
    Region region,
    SafetyNetMetrics metrics,
    TimeProvider clock,
    ILogger<DistrictGrain> logger) : Grain, IDistrictGrain
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const int CameraWakesPerSecond = 10;
    private const string PolicyGuardActor = "policy-guard";

    // Cameras whose relay currently pulls over this district's uplink, with when each last claimed. In memory and leased:
    // running relays renew their claims, so a claim whose relay died with its node lapses, and after this grain moves to
    // another silo the slots are re-learned within one renewal.
    private readonly Dictionary<string, DateTimeOffset> _upstreams = new(StringComparer.Ordinal);

    private DistrictReference Reference => region.Find(this.GetPrimaryKeyString())
        ?? throw DomainException.NotFound(region.NoSuchDistrict(this.GetPrimaryKeyString()));

    private CameraStatusBook _statuses = null!;

    /// <summary>Believed instead of a stored policy older than the ledger's newest edit (<see cref="StalePolicyCheck"/>), until the admin sets one.</summary>
    private SharingPolicy? _insteadOfStalePolicy;

    private SharingPolicy Policy => _insteadOfStalePolicy ?? state.State.Policy ?? SharingPolicy.KoreanDefault;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ = Reference;
        _statuses = new CameraStatusBook(statusState.State);
        await MoveStatusesOutOfCatalogAsync();
        await CheckPolicyIsTheNewestAsync();
        await CheckMaskNotesAgainstLedgerAsync();
        WakeCamerasSoon();
    }

    private async Task CheckPolicyIsTheNewestAsync()
    {
        var stored = Policy;
        if (await StalePolicyCheck.LedgerVersionAsync(GrainFactory, Reference.Code) is not { } newest || newest <= stored.Version) return;
        _insteadOfStalePolicy = StalePolicyCheck.IncidentOnly(stored, newest);
        policies.Remember(Reference.Code, _insteadOfStalePolicy, clock.GetUtcNow());
        metrics.StoredStateRefused();
        logger.LogCritical("District {District}'s stored sharing policy is version {Stored}, but the ledger records version {Newest}: the record was put back " +
                           "from an older copy in the database. Its cameras are shared only during incidents, and not rewound, until its admin sets the policy again",
            Reference.Code, stored.Version, newest);
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.PolicyChange, Reason: StalePolicyCheck.Reason, Actor: PolicyGuardActor,
            DistrictCode: Reference.Code, Details: JsonSerializer.Serialize(new { district = Reference.Code, edit = StalePolicyCheck.Reason, version = newest, stored = stored.Version }, Json)));
    }

    /// <summary>
    /// Notes older than the ledger's newest mask edit of a camera (<see cref="MaskNotesCheck"/>) are set as the ledger says,
    /// before the cameras noted as masked are asked to check their records.
    /// </summary>
    private async Task CheckMaskNotesAgainstLedgerAsync()
    {
        var edits = await GrainFactory.GetGrain<IAuditGrain>(0).MaskChangesAsync(Reference.Code);
        if (edits.Count == 0) return;
        var newest = MaskNotesCheck.NewestPerCamera(edits);
        var behind = MaskNotesCheck.OlderThanLedger(state.State.Cameras, newest);
        var unfingerprinted = MaskNotesCheck.WithoutFingerprint(state.State.Cameras, newest);
        if (behind.Count + unfingerprinted.Count == 0) return;
        foreach (var (cameraId, digest) in behind.Concat(unfingerprinted))
            state.State.Cameras[cameraId] = state.State.Cameras[cameraId] with { Masked = true, MasksDigest = digest };
        state.State.CatalogVersion++;
        await state.WriteStateAsync();
        if (unfingerprinted.Count > 0)
            logger.LogInformation("District {District} noted the fingerprint of the masks of {Count} camera(s) masked before fingerprints were kept, from the ledger",
                Reference.Code, unfingerprinted.Count);
        if (behind.Count == 0) return;
        metrics.StoredStateRefused(behind.Count);
        logger.LogCritical("District {District}'s stored notes of {Count} camera(s)' privacy masks ({Cameras}) are older than the ledger's newest mask edits: " +
                           "the record was put back from an older copy in the database. They are noted as the ledger says, and a camera whose own record " +
                           "holds other masks is withheld until its admin sets its masks again", Reference.Code, behind.Count, string.Join(", ", behind.Select(b => b.CameraId)));
        await audit.AppendManyAsync([.. behind.Select(b => new AuditEntry(clock.GetUtcNow(), AuditKinds.CameraChange, Reason: MaskNotesCheck.Reason,
            CameraId: b.CameraId, Actor: CameraGrain.MasksGuardActor, DistrictCode: Reference.Code))]);
    }

    /// <summary>
    /// At the district's start, wakes the cameras that must look at themselves. Each it notes as masked checks that its own
    /// record still holds the masks (<see cref="ICameraGrain.ConfirmMasksRecordAsync"/>), so that a record deleted while the
    /// node was down is found at its start rather than by a viewer. Each offline is tried again if its relay took it offline
    /// (<see cref="ICameraGrain.CheckAgainAsync"/>): a camera that went dark before the node restarted would otherwise stay
    /// offline until someone asked for it, as nothing else wakes it. One-way calls, a few a second: a nation's districts all
    /// start together, and each call wakes a camera (its record read from the database); no camera's call back to this
    /// district waits on the asking.
    /// </summary>
    private void WakeCamerasSoon()
    {
        var pending = new Queue<(string CameraId, Func<ICameraGrain, Task> Call)>(
            state.State.Cameras.Values.Where(c => c.Masked).Select(c => (c.Id, ConfirmMasksRecord))
                .Concat(state.State.Cameras.Keys.Where(id => _statuses.StatusOf(id) == CameraStatus.Offline).Select(id => (id, CheckAgain))));
        if (pending.Count == 0) return;
        IGrainTimer? timer = null;
        timer = this.RegisterGrainTimer(() =>
        {
            for (var i = 0; i < CameraWakesPerSecond && pending.TryDequeue(out var wake); i++)
                wake.Call(GrainFactory.GetGrain<ICameraGrain>(wake.CameraId)).Ignore();
            if (pending.Count == 0) timer?.Dispose();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
    }

    private static readonly Func<ICameraGrain, Task> ConfirmMasksRecord = camera => camera.ConfirmMasksRecordAsync();

    private static readonly Func<ICameraGrain, Task> CheckAgain = camera => camera.CheckAgainAsync();

    /// <summary>
    /// Catalogs written before status had a state of its own carry each camera's status; it moves to the status state
    /// once, and the catalog keeps every camera as <see cref="CameraStatus.Online"/> (a placeholder: see <see cref="Effective"/>).
    /// </summary>
    private async Task MoveStatusesOutOfCatalogAsync()
    {
        var carrying = state.State.Cameras.Values.Where(c => c.Status != CameraStatus.Online).ToArray();
        if (carrying.Length == 0) return;
        foreach (var camera in carrying)
        {
            _statuses.Set(camera.Id, camera.Status);
            state.State.Cameras[camera.Id] = camera with { Status = CameraStatus.Online };
        }
        await statusState.WriteStateAsync();
        await state.WriteStateAsync();
    }

    /// <summary>The catalog entry with the camera's current status.</summary>
    private CameraInfo Effective(CameraInfo catalogued) =>
        _statuses.StatusOf(catalogued.Id) is var status && status == catalogued.Status ? catalogued : catalogued with { Status = status };

    public ValueTask<DistrictInfo> GetInfoAsync()
    {
        var r = Reference;
        return ValueTask.FromResult(new DistrictInfo(r.Code, r.Name, r.NameEnglish, r.Centroid, r.AreaKm2, r.CrimePreventionCctv2016, state.State.Cameras.Count));
    }

    public ValueTask<SharingPolicy> GetPolicyAsync() => ValueTask.FromResult(Policy);

    public Task<PolicyUpdate> SetPolicyAsync(SharingPolicy policy, string actor)
    {
        if (policy.Matrix.Length != SharingPolicy.KindCount * SharingPolicy.PurposeCount)
            throw DomainException.Invalid("The policy must give a level for every agency kind and camera purpose.");
        if (policy.Matrix.Any(level => !Enum.IsDefined(level)))
            throw DomainException.Invalid($"Every level must be one of: {EnumNames<SharingLevel>.Expected}.");
        return SaveAsync(policy.LevelFor, "replace", actor);
    }

    public Task<PolicyUpdate> ChangePolicyAsync(PolicyCell[] cells, string actor)
    {
        if (cells.Length == 0) throw DomainException.Invalid("Name at least one agency kind × camera purpose pair to change.");
        if (cells.FirstOrDefault(c => !Enum.IsDefined(c.Kind) || !Enum.IsDefined(c.Purpose) || !Enum.IsDefined(c.Level)) is { } undefined)
            throw DomainException.Invalid($"The pair {undefined.Kind} × {undefined.Purpose} has a kind, purpose or level that is not defined.");
        if (cells.FirstOrDefault(c => c.Level != SharingLevel.Never && !c.Kind.ViewsVideo()) is { } blind)
            throw DomainException.Invalid($"Agencies of kind '{EnumNames<AgencyKind>.NameOf(blind.Kind)}' never view video; their pairs can only be never.");
        var named = new Dictionary<(AgencyKind, CameraPurpose), SharingLevel>();
        foreach (var cell in cells) named[(cell.Kind, cell.Purpose)] = cell.Level;
        var previous = Policy;
        return SaveAsync((kind, purpose) => named.GetValueOrDefault((kind, purpose), previous.LevelFor(kind, purpose)), "change", actor);
    }

    /// <summary>
    /// Stores the policy <paramref name="levelFor"/> describes and records in the ledger which pairs changed. A new version
    /// only when something changed, so that caches keyed on it stay warm; the ledger records the edit either way.
    /// </summary>
    private async Task<PolicyUpdate> SaveAsync(Func<AgencyKind, CameraPurpose, SharingLevel> levelFor, string edit, string actor)
    {
        var previous = Policy;
        var changes = (from kind in Enum.GetValues<AgencyKind>()
                       from purpose in Enum.GetValues<CameraPurpose>()
                       let was = previous.LevelFor(kind, purpose)
                       let becomes = kind.ViewsVideo() ? levelFor(kind, purpose) : SharingLevel.Never
                       where was != becomes
                       select new PolicyCellChange(kind, purpose, was, becomes)).ToArray();
        var next = previous;
        // A policy believed instead of a stale record is stored by any edit, so that the record is the newest again.
        if (changes.Length > 0 || _insteadOfStalePolicy is not null)
        {
            next = SharingPolicy.Create(previous.Version + 1, levelFor) with { RecordedVideoKinds = previous.RecordedVideoKinds };
            await StorePolicyAsync(next);
        }
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.PolicyChange, Actor: actor, DistrictCode: Reference.Code,
            Details: JsonSerializer.Serialize(new
            {
                district = Reference.Code,
                edit,
                version = next.Version,
                changes = changes.Select(c => new
                {
                    kind = EnumNames<AgencyKind>.NameOf(c.Kind),
                    purpose = EnumNames<CameraPurpose>.NameOf(c.Purpose),
                    from = EnumNames<SharingLevel>.NameOf(c.From),
                    to = EnumNames<SharingLevel>.NameOf(c.To),
                }),
            }, Json)));
        return new PolicyUpdate(next, changes);
    }

    private async Task StorePolicyAsync(SharingPolicy policy)
    {
        state.State.Policy = policy;
        await state.WriteStateAsync();
        _insteadOfStalePolicy = null;
        policies.Remember(Reference.Code, policy, clock.GetUtcNow());
    }

    public async Task<SharingPolicy> SetRecordedVideoKindsAsync(AgencyKind[] kinds, string actor)
    {
        foreach (var kind in kinds.Where(k => !Enum.IsDefined(k) || !k.ViewsVideo()))
            throw DomainException.Invalid($"Agencies of kind '{EnumNames<AgencyKind>.NameOf(kind)}' never view video, so they cannot rewind it.");
        var previous = Policy;
        AgencyKind[] was = [.. (previous.RecordedVideoKinds ?? []).Order()];
        AgencyKind[] becomes = [.. kinds.Distinct().Order()];
        var next = previous;
        if (!was.SequenceEqual(becomes) || _insteadOfStalePolicy is not null)
        {
            // A new version, so that every cached lease decision sees the change within its freshness.
            next = previous with { Version = previous.Version + 1, RecordedVideoKinds = becomes, Fallback = null };
            await StorePolicyAsync(next);
        }
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.PolicyChange, Actor: actor, DistrictCode: Reference.Code,
            Details: JsonSerializer.Serialize(new
            {
                district = Reference.Code,
                edit = "recorded-video",
                version = next.Version,
                from = was.Select(EnumNames<AgencyKind>.NameOf),
                to = becomes.Select(EnumNames<AgencyKind>.NameOf),
            }, Json)));
        return next;
    }

    public async Task<ImportOutcome> UpsertCamerasAsync(CameraInfo[] cameras)
    {
        if (cameras.FirstOrDefault(c => c.DistrictCode != Reference.Code) is { } stray)
            throw DomainException.Invalid($"Camera '{stray.Id}' belongs to district {stray.DistrictCode}, not {Reference.Code}.");
        if (cameras.FirstOrDefault(c => !Enum.IsDefined(c.Purpose) || !Enum.IsDefined(c.Status)) is { } undefined)
            throw DomainException.Invalid($"Camera '{undefined.Id}' has a purpose or status that is not defined.");
        var created = 0;
        bool catalogChanged = false, statusesChanged = false;
        var updated = new List<CameraInfo>();
        var statusChanges = new List<(CameraInfo Camera, CameraStatus Previous)>();
        foreach (var camera in cameras)
        {
            var exists = state.State.Cameras.TryGetValue(camera.Id, out var existing);
            // The masks are the camera's own, set by its admin; an import does not know of them.
            var catalogued = camera with { Status = CameraStatus.Online, Masked = existing?.Masked ?? false, MasksDigest = existing?.MasksDigest };
            var previousStatus = _statuses.StatusOf(camera.Id);
            if (_statuses.Set(camera.Id, camera.Status))
            {
                statusesChanged = true;
                if (exists) statusChanges.Add((camera, previousStatus));
            }
            if (exists && existing == catalogued)
            {
                if (previousStatus != camera.Status) updated.Add(camera);
                continue;
            }
            if (exists) updated.Add(camera);
            else created++;
            state.State.Cameras[camera.Id] = catalogued;
            catalogChanged = true;
        }
        if (catalogChanged)
        {
            state.State.CatalogVersion++;
            await state.WriteStateAsync();
        }
        if (statusesChanged) await statusState.WriteStateAsync();
        await Task.WhenAll(updated.Select(c => GrainFactory.GetGrain<ICameraGrain>(c.Id).OnCatalogChangedAsync(c)));
        await PublishStatusChangesAsync(statusChanges);
        return new ImportOutcome(created, updated.Count);
    }

    public ValueTask<CameraInfo?> GetCameraAsync(string cameraId) =>
        ValueTask.FromResult(state.State.Cameras.TryGetValue(cameraId, out var camera) ? Effective(camera) : null);

    public async Task<CameraInfo?> UpdateCameraAsync(string cameraId, CameraPatch patch)
    {
        if (!state.State.Cameras.TryGetValue(cameraId, out var camera)) return null;
        if (patch.Purpose is { } purpose && !Enum.IsDefined(purpose))
            throw DomainException.Invalid($"purpose must be one of: {EnumNames<CameraPurpose>.Expected}.");
        if (patch.Status is { } status && !Enum.IsDefined(status))
            throw DomainException.Invalid($"status must be one of: {EnumNames<CameraStatus>.Expected}.");
        var next = camera with
        {
            StreamUrl = patch.StreamUrl ?? camera.StreamUrl,
            HeadingDegrees = patch.HeadingDegrees ?? camera.HeadingDegrees,
            FieldOfViewDegrees = patch.FieldOfViewDegrees ?? camera.FieldOfViewDegrees,
            Ptz = patch.Ptz ?? camera.Ptz,
            Name = patch.Name ?? camera.Name,
            Purpose = patch.Purpose ?? camera.Purpose,
            OnvifUrl = patch.OnvifUrl ?? camera.OnvifUrl,
        };
        if (next != camera)
        {
            state.State.Cameras[cameraId] = next;
            state.State.CatalogVersion++;
            await state.WriteStateAsync();
        }
        if (patch.Status is { } changed) await RecordStatusAsync(cameraId, changed);
        return Effective(next);
    }

    public async Task<CameraInfo?> NoteMasksAsync(string cameraId, string? masksDigest)
    {
        if (!state.State.Cameras.TryGetValue(cameraId, out var camera)) return null;
        var noted = camera with { Masked = masksDigest is not null, MasksDigest = masksDigest };
        if (noted != camera)
        {
            state.State.Cameras[cameraId] = camera = noted;
            state.State.CatalogVersion++;
            await state.WriteStateAsync();
        }
        return Effective(camera);
    }

    public async Task RecordStatusAsync(string cameraId, CameraStatus status)
    {
        if (!Enum.IsDefined(status)) throw DomainException.Invalid($"status must be one of: {EnumNames<CameraStatus>.Expected}.");
        if (!state.State.Cameras.TryGetValue(cameraId, out var camera)) return;
        var previous = _statuses.StatusOf(cameraId);
        if (!_statuses.Set(cameraId, status)) return;
        await statusState.WriteStateAsync();
        await PublishStatusChangesAsync([(camera with { Status = status }, previous)]);
    }

    private async Task PublishStatusChangesAsync(IReadOnlyCollection<(CameraInfo Camera, CameraStatus Previous)> changes)
    {
        if (changes.Count == 0) return;
        var now = clock.GetUtcNow();
        await GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync(changes.Select(c => new DashboardEvent(DashboardEventNames.CameraStatusChanged, null,
            Reference.Code, [], JsonSerializer.Serialize(new { cameraId = c.Camera.Id, districtCode = Reference.Code, status = c.Camera.Status, previous = c.Previous }, Json), now)).ToArray());
    }

    public ValueTask<StatusDelta?> GetStatusChangesAsync(long knownSeq) => ValueTask.FromResult(_statuses.Since(Reference.Code, knownSeq));

    public ValueTask<CatalogSnapshot?> GetCatalogIfChangedAsync(long knownVersion) =>
        ValueTask.FromResult(knownVersion == state.State.CatalogVersion
            ? null
            : new CatalogSnapshot(Reference.Code, state.State.CatalogVersion, state.State.Cameras.Values.Select(Effective).ToArray(), _statuses.Seq));

    public Task<bool> TryAcquireUpstreamAsync(string cameraId, int cap)
    {
        var now = clock.GetUtcNow();
        var lifetime = leaseOptions.Value.UpstreamClaimLifetime;
        foreach (var lapsed in _upstreams.Where(u => now - u.Value > lifetime).Select(u => u.Key).ToList())
            _upstreams.Remove(lapsed);
        if (!_upstreams.ContainsKey(cameraId) && _upstreams.Count >= cap) return Task.FromResult(false);
        _upstreams[cameraId] = now;
        return Task.FromResult(true);
    }

    public Task ReleaseUpstreamAsync(string cameraId)
    {
        _upstreams.Remove(cameraId);
        return Task.CompletedTask;
    }

    public ValueTask<DistrictUsage> GetUsageAsync()
    {
        var cameras = state.State.Cameras;
        var offline = _statuses.Count(CameraStatus.Offline, cameras.ContainsKey);
        var maintenance = _statuses.Count(CameraStatus.Maintenance, cameras.ContainsKey);
        return ValueTask.FromResult(new DistrictUsage(cameras.Count, cameras.Count - offline - maintenance, offline, maintenance, Policy.Version));
    }
}
