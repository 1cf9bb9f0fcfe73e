using System.Text.Json;
using Orleans.Concurrency;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Access;

/// <summary>Places a grant on every camera it covers (resolving an area through the local index) and audits it.</summary>
[StatelessWorker]
public sealed class GrantIssuerGrain(CameraIndex index, IAuditLedger audit, TimeProvider clock) : Grain, IGrantIssuerGrain
{
    private const int MaxAreaCameras = 2000;

    public async Task<AccessGrant> IssueAsync(AccessGrant grant)
    {
        if (grant.ExpiresAt <= clock.GetUtcNow()) throw DomainException.Invalid("A grant must expire in the future.");
        var cameras = new HashSet<string>(grant.CameraIds, StringComparer.Ordinal);
        if (grant.Area is { } area)
        {
            if (!(area.RadiusMeters > 0)) throw DomainException.Invalid("A grant area needs a positive radius.");
            foreach (var hit in index.Current.Nearest(new SpatialQuery(area.Center, area.RadiusMeters, MaxAreaCameras)))
                cameras.Add(hit.Camera.Id);
        }
        var resolved = grant with { CameraIds = cameras.Order(StringComparer.Ordinal).ToArray() };
        await Task.WhenAll(resolved.CameraIds.Select(id => GrainFactory.GetGrain<ICameraGrain>(id).AddGrantAsync(resolved)));
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Grant, "allow", DecisionReasons.IncidentGrant,
            AgencyId: resolved.AgencyId, IncidentId: resolved.IncidentId, Actor: resolved.IssuedBy,
            Details: JsonSerializer.Serialize(new { resolved.GrantId, resolved.Purpose, resolved.ExpiresAt, cameras = resolved.CameraIds })));
        return resolved;
    }

    public async Task ShortenAsync(AccessGrant grant, string[] cameraIds, DateTimeOffset until, string reason)
    {
        var shortened = grant with { ExpiresAt = until < grant.ExpiresAt ? until : grant.ExpiresAt };
        await Task.WhenAll(cameraIds.Select(id => GrainFactory.GetGrain<ICameraGrain>(id).AddGrantAsync(shortened)));
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Revocation, Reason: reason,
            AgencyId: grant.AgencyId, IncidentId: grant.IncidentId, Actor: grant.IssuedBy,
            Details: JsonSerializer.Serialize(new { grant.GrantId, effectiveAt = shortened.ExpiresAt, cameras = cameraIds })));
    }

    public async Task RevokeAsync(AccessGrant grant, string reason)
    {
        await Task.WhenAll(grant.CameraIds.Select(id => GrainFactory.GetGrain<ICameraGrain>(id).RevokeGrantAsync(grant.GrantId)));
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Revocation, Reason: reason,
            AgencyId: grant.AgencyId, IncidentId: grant.IncidentId, Actor: grant.IssuedBy,
            Details: JsonSerializer.Serialize(new { grant.GrantId, cameras = grant.CameraIds })));
    }
}
