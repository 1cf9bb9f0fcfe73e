using System.Diagnostics;
using System.Text.Json;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Cameras;

/// <summary>One camera: it decides access to itself from its district's policy and the grants that cover it.</summary>
public sealed class CameraGrain(
    [PersistentState("camera", StorageNames.Default)] IPersistentState<CameraState> state,
    CameraIndex index,
    IAuditLedger audit,
    SafetyNetMetrics metrics,
    TimeProvider clock) : Grain, ICameraGrain
{
    private CameraInfo? _camera;

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync().AsTask();

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

    public ValueTask<CameraInfo?> GetAsync() => LoadAsync();

    public async Task<CameraInfo> UpdateAsync(CameraPatch patch, string actor)
    {
        var camera = await LoadAsync() ?? throw DomainException.NotFound($"There is no camera with id '{Id}'.");
        var updated = await GrainFactory.GetGrain<IDistrictGrain>(camera.DistrictCode).UpdateCameraAsync(Id, patch)
            ?? throw DomainException.NotFound($"There is no camera with id '{Id}'.");
        _camera = updated;
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.CameraChange, CameraId: Id, Actor: actor,
            Details: JsonSerializer.Serialize(patch)));
        return updated;
    }

    public async Task OnCatalogChangedAsync(CameraInfo camera)
    {
        _camera = camera;
        if (state.State.DistrictCode != camera.DistrictCode)
        {
            state.State.DistrictCode = camera.DistrictCode;
            await state.WriteStateAsync();
        }
    }

    public async Task<AccessDecision> DecideAsync(AccessSubject subject, AccessRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        AccessDecision decision;
        if (await LoadAsync() is null)
        {
            decision = AccessDecision.Deny(Id, DecisionReasons.UnknownCamera);
        }
        else
        {
            var policy = await GrainFactory.GetGrain<IDistrictGrain>(_camera!.DistrictCode).GetPolicyAsync();
            decision = AccessRules.Decide(_camera, policy, state.State.Grants, subject, request, now);
        }
        metrics.Decision(decision.Allowed, decision.Reason, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.AccessDecision,
            decision.Allowed ? "allow" : "deny", decision.Reason, Id, subject.Agency.Id, subject.SessionId,
            decision.IncidentId ?? request.IncidentId, $"{subject.Agency.Id}/{subject.OperatorId}",
            JsonSerializer.Serialize(new { purpose = request.Purpose, grant = decision.GrantId })));
        return decision;
    }

    public async Task AddGrantAsync(AccessGrant grant)
    {
        var now = clock.GetUtcNow();
        state.State.Grants.RemoveAll(g => g.GrantId == grant.GrantId || !g.IsActiveAt(now));
        state.State.Grants.Add(grant);
        state.State.DistrictCode ??= _camera?.DistrictCode;
        await state.WriteStateAsync();
    }

    public async Task RevokeGrantAsync(string grantId)
    {
        var now = clock.GetUtcNow();
        if (state.State.Grants.RemoveAll(g => g.GrantId == grantId || !g.IsActiveAt(now)) > 0)
            await state.WriteStateAsync();
    }

    public ValueTask<IReadOnlyList<AccessGrant>> GetGrantsAsync()
    {
        var now = clock.GetUtcNow();
        return ValueTask.FromResult<IReadOnlyList<AccessGrant>>(state.State.Grants.Where(g => g.IsActiveAt(now)).ToArray());
    }
}
