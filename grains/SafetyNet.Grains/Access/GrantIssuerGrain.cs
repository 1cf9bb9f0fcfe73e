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

    public async Task<AccessGrant> IssueAsync(AccessGrant grant) => (await IssueAllAsync([grant]))[0];

    public async Task<AccessGrant[]> IssueAllAsync(AccessGrant[] grants)
    {
        var now = clock.GetUtcNow();
        if (grants.Any(g => g.ExpiresAt <= now)) throw DomainException.Invalid("A grant must expire in the future.");
        var resolved = grants.Select(Resolve).ToArray();
        await Task.WhenAll(resolved
            .SelectMany(g => g.CameraIds.Select(camera => (Camera: camera, Grant: g)))
            .GroupBy(x => x.Camera, StringComparer.Ordinal)
            .Select(byCamera => GrainFactory.GetGrain<ICameraGrain>(byCamera.Key).AddGrantsAsync(byCamera.Select(x => x.Grant).ToArray())));
        await audit.AppendManyAsync(resolved.SelectMany(g => ByDistrict(g.CameraIds).Select(d => new AuditEntry(clock.GetUtcNow(), AuditKinds.Grant, "allow",
            DecisionReasons.IncidentGrant, AgencyId: g.AgencyId, IncidentId: g.IncidentId, Actor: g.IssuedBy,
            Details: JsonSerializer.Serialize(new { g.GrantId, g.Purpose, g.ExpiresAt, cameras = d.Cameras }), DistrictCode: d.District))).ToArray());
        return resolved;
    }

    private AccessGrant Resolve(AccessGrant grant)
    {
        var cameras = new HashSet<string>(grant.CameraIds, StringComparer.Ordinal);
        if (grant.Area is { } area)
        {
            if (!(area.RadiusMeters > 0)) throw DomainException.Invalid("A grant area needs a positive radius.");
            foreach (var hit in index.Current.Nearest(new SpatialQuery(area.Center, area.RadiusMeters, MaxAreaCameras)))
                cameras.Add(hit.Camera.Id);
        }
        return grant with { CameraIds = cameras.Order(StringComparer.Ordinal).ToArray() };
    }

    public async Task ShortenAsync(AccessGrant grant, string[] cameraIds, DateTimeOffset until, string reason)
    {
        var shortened = grant with { ExpiresAt = until < grant.ExpiresAt ? until : grant.ExpiresAt };
        await Task.WhenAll(cameraIds.Select(id => GrainFactory.GetGrain<ICameraGrain>(id).AddGrantAsync(shortened)));
        await audit.AppendManyAsync(ByDistrict(cameraIds).Select(d => new AuditEntry(clock.GetUtcNow(), AuditKinds.Revocation, Reason: reason,
            AgencyId: grant.AgencyId, IncidentId: grant.IncidentId, Actor: grant.IssuedBy,
            Details: JsonSerializer.Serialize(new { grant.GrantId, effectiveAt = shortened.ExpiresAt, cameras = d.Cameras }), DistrictCode: d.District)).ToArray());
    }

    public async Task RevokeAsync(AccessGrant grant, string reason)
    {
        await Task.WhenAll(grant.CameraIds.Select(id => GrainFactory.GetGrain<ICameraGrain>(id).RevokeGrantAsync(grant.GrantId)));
        await audit.AppendManyAsync(ByDistrict(grant.CameraIds).Select(d => new AuditEntry(clock.GetUtcNow(), AuditKinds.Revocation, Reason: reason,
            AgencyId: grant.AgencyId, IncidentId: grant.IncidentId, Actor: grant.IssuedBy,
            Details: JsonSerializer.Serialize(new { grant.GrantId, cameras = d.Cameras }), DistrictCode: d.District)).ToArray());
    }

    /// <summary>
    /// A grant's ledger rows, one per district whose cameras it covers, so each district's privacy officer reads the grants
    /// on its own cameras. A grant of no camera still gets its one row.
    /// </summary>
    private IEnumerable<(string? District, string[] Cameras)> ByDistrict(IReadOnlyCollection<string> cameraIds)
    {
        if (cameraIds.Count == 0) return [(null, [])];
        return cameraIds.GroupBy(id => index.Current.Find(id)?.DistrictCode)
            .Select(g => (g.Key, g.ToArray()));
    }
}
