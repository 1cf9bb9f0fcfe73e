using System.Text.Json;
using Orleans.Concurrency;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Access;

/// <summary>
/// Records a grant with the registry of every district whose cameras it covers (resolving an area through the local
/// index), one call per district rather than one write per camera, and audits it.
/// Reentrant because it holds no state and spends its calls waiting on registries and the ledger: a stateless worker runs
/// one activation per core, so without it a 2-core silo issued grants two at a time and capped incident opening near 170/s.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class GrantIssuerGrain(CameraIndex index, IAuditLedger audit, TimeProvider clock) : Grain, IGrantIssuerGrain
{
    private const int MaxAreaCameras = 2000;

    public async Task<AccessGrant> IssueAsync(AccessGrant grant) => (await IssueAllAsync([grant]))[0];

    public async Task<AccessGrant[]> IssueAllAsync(AccessGrant[] grants)
    {
        var now = clock.GetUtcNow();
        if (grants.Any(g => g.ExpiresAt <= now)) throw DomainException.Invalid("A grant must expire in the future.");
        var placed = new List<(AccessGrant Grant, string? District, string[] Cameras, Placement[] Registries)>();
        foreach (var grant in grants.Select(Resolve))
            placed.AddRange((await ByDistrictAsync(grant.CameraIds)).Select(d => (grant, d.District, d.Cameras, d.Registries)));
        // The ledger first: a grant whose rows could not be written must never be in force. (A registry that then fails
        // leaves ledger rows for a grant that never held: the ledger errs towards saying too much, never too little.)
        await audit.AppendManyAsync(placed.Select(p => new AuditEntry(clock.GetUtcNow(), AuditKinds.Grant, "allow",
            DecisionReasons.IncidentGrant, AgencyId: p.Grant.AgencyId, IncidentId: p.Grant.IncidentId, Actor: p.Grant.IssuedBy,
            Details: JsonSerializer.Serialize(new { p.Grant.GrantId, p.Grant.Purpose, p.Grant.ExpiresAt, cameras = p.Cameras }), DistrictCode: p.District)).ToArray());
        var ignored = await Task.WhenAll(placed
            .SelectMany(p => p.Registries.Select(r => (r.Registry, Grant: p.Grant with { CameraIds = r.Cameras })))
            .GroupBy(x => x.Registry, StringComparer.Ordinal)
            .Select(byRegistry => Registry(byRegistry.Key).IssueAsync(byRegistry.Select(x => x.Grant).ToArray())));
        // Grants the registries ignored were withdrawn before this issue arrived (its caller had given up on it): their grant
        // rows above would otherwise be the ledger's last word on them, so each gets a revocation row after them.
        var withdrawn = ignored.SelectMany(ids => ids).ToHashSet(StringComparer.Ordinal);
        foreach (var grant in placed.Where(p => withdrawn.Contains(p.Grant.GrantId)).GroupBy(p => p.Grant))
            await AppendEndsAsync(grant.Key, "withdrawn before its issue arrived", grant.Select(p => (p.District, p.Cameras, p.Registries)).ToArray());
        return placed.Select(p => p.Grant).Distinct().ToArray();
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
        var effectiveAt = until < grant.ExpiresAt ? until : grant.ExpiresAt;
        var districts = await ByDistrictAsync(cameraIds);
        await Task.WhenAll(districts.SelectMany(d => d.Registries).Select(r => Registry(r.Registry).ShortenAsync(grant, r.Cameras, until)));
        await audit.AppendManyAsync(districts.Select(d => new AuditEntry(clock.GetUtcNow(), AuditKinds.Revocation, Reason: reason,
            AgencyId: grant.AgencyId, IncidentId: grant.IncidentId, Actor: grant.IssuedBy,
            Details: JsonSerializer.Serialize(new { grant.GrantId, effectiveAt, cameras = d.Cameras }), DistrictCode: d.District)).ToArray());
    }

    public Task RevokeAsync(AccessGrant grant, string reason) => EndAsync(grant, reason, registry => registry.RevokeAsync(grant.GrantId));

    public Task WithdrawAsync(AccessGrant grant, string reason) => EndAsync(grant, reason, registry => registry.WithdrawAsync(grant));

    private async Task EndAsync(AccessGrant grant, string reason, Func<IGrantRegistryGrain, Task> end)
    {
        var districts = await ByDistrictAsync(grant.CameraIds);
        await Task.WhenAll(districts.SelectMany(d => d.Registries).Select(r => end(Registry(r.Registry))));
        await AppendEndsAsync(grant, reason, districts);
    }

    private Task AppendEndsAsync(AccessGrant grant, string reason, (string? District, string[] Cameras, Placement[] Registries)[] districts) =>
        audit.AppendManyAsync(districts.Select(d => new AuditEntry(clock.GetUtcNow(), AuditKinds.Revocation, Reason: reason,
            AgencyId: grant.AgencyId, IncidentId: grant.IncidentId, Actor: grant.IssuedBy,
            Details: JsonSerializer.Serialize(new { grant.GrantId, cameras = d.Cameras }), DistrictCode: d.District)).ToArray());

    public async Task ReprioritiseAsync(AccessGrant[] grants)
    {
        var byRegistry = new List<(string Registry, string GrantId, int Priority)>();
        foreach (var grant in grants)
            byRegistry.AddRange((await ByDistrictAsync(grant.CameraIds)).SelectMany(d => d.Registries).Select(r => (r.Registry, grant.GrantId, grant.Priority)));
        await Task.WhenAll(byRegistry.GroupBy(x => (x.Registry, x.Priority))
            .Select(same => Registry(same.Key.Registry).ReprioritiseAsync(same.Select(x => x.GrantId).ToArray(), same.Key.Priority)));
    }

    private IGrantRegistryGrain Registry(string key) => GrainFactory.GetGrain<IGrantRegistryGrain>(key);

    /// <summary>A grant's cameras held by one registry (<see cref="GrantRegistryKey"/>).</summary>
    private sealed record Placement(string Registry, string[] Cameras);

    /// <summary>
    /// A grant's cameras by district (one ledger row each, so each district's privacy officer reads the grants on its own
    /// cameras) and, within it, by registry (one call each). A grant of no camera still gets its one row. A camera this
    /// silo's index does not know yet (imported moments ago on another silo) is asked for its catalog entry.
    /// </summary>
    private async Task<(string? District, string[] Cameras, Placement[] Registries)[]> ByDistrictAsync(IReadOnlyCollection<string> cameraIds)
    {
        if (cameraIds.Count == 0) return [(null, [], [])];
        var located = new List<(string Camera, CameraInfo? Info)>(cameraIds.Count);
        foreach (var id in cameraIds)
            located.Add((id, index.Current.Find(id) ?? await GrainFactory.GetGrain<ICameraGrain>(id).GetAsync()));
        return located.GroupBy(x => x.Info?.DistrictCode).Select(district => (district.Key, district.Select(x => x.Camera).ToArray(),
            district.Key is null ? [] : district.GroupBy(x => GrantRegistryKey.For(x.Info!), StringComparer.Ordinal)
                .Select(registry => new Placement(registry.Key, registry.Select(x => x.Camera).ToArray())).ToArray())).ToArray();
    }
}
