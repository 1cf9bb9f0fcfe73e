using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Cameras;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Access;

/// <summary>
/// The grants on the cameras of one cell of a district (<see cref="GrantRegistryKey"/>): each change writes the grants it
/// touched as rows (<see cref="GrantRegistryStore"/>), however many cameras they cover and however many grants the cell holds.
/// Active cameras subscribe on activation and unsubscribe on deactivation; only they are told of a change, so idle cameras
/// stay idle.
/// </summary>
public sealed class GrantRegistryGrain(GrantRegistryStore store, TimeProvider clock) : Grain, IGrantRegistryGrain
{
    /// <summary>Where a registry kept its grants as one grain-state blob before they were rows.</summary>
    public const string LegacyStateName = "grant-registry";

    private readonly HashSet<string> _subscribers = new(StringComparer.Ordinal);
    private GrantRegistryState _state = new();

    private string Registry => this.GetPrimaryKeyString();

    private GrantCoverage Coverage => new(_state);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = await store.LoadAsync(Registry);
        // Only a registry never written as rows can still have a blob: the others skip that read on every activation.
        if (_state.Version == 0) await MoveLegacyStateToRowsAsync();
        // Cameras that subscribed to an earlier activation (lost with its silo, or collected while idle) do not know it is
        // gone: every camera a grant holds on is told of the next change, which activates an idle one at most once.
        _subscribers.UnionWith(Coverage.Cameras);
    }

    /// <summary>A registry written before grants were rows: its grants become rows, then its blob is cleared.</summary>
    private async Task MoveLegacyStateToRowsAsync()
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var legacy = new GrainState<GrantRegistryState>(new GrantRegistryState());
        await storage.ReadStateAsync(LegacyStateName, this.GetGrainId(), legacy);
        if (!legacy.RecordExists || legacy.State is null) return;
        _state.Grants = legacy.State.Grants;
        _state.Version = legacy.State.Version + 1;
        await store.SaveAsync(Registry, _state, [.. _state.Grants.Keys]);
        await storage.ClearStateAsync(LegacyStateName, this.GetGrainId(), legacy);
    }

    public Task<CameraGrants> SubscribeAsync(string cameraId)
    {
        _subscribers.Add(cameraId);
        return Task.FromResult(GrantsOf(cameraId, clock.GetUtcNow()));
    }

    public Task UnsubscribeAsync(string cameraId)
    {
        _subscribers.Remove(cameraId);
        return Task.CompletedTask;
    }

    public async Task<string[]> IssueAsync(AccessGrant[] grants)
    {
        var withdrawn = grants.Where(g => Coverage.IsWithdrawn(g.GrantId)).Select(g => g.GrantId).ToArray();
        await ChangeAsync(grants.Select(g => g.GrantId), c => grants.SelectMany(c.Issue).ToList());
        return withdrawn;
    }

    public Task ShortenAsync(AccessGrant grant, string[] cameraIds, DateTimeOffset until) =>
        ChangeAsync([grant.GrantId], c => c.Shorten(grant, cameraIds, until).ToList());

    public Task RevokeAsync(string grantId) => ChangeAsync([grantId], c => c.Revoke(grantId).ToList());

    public Task WithdrawAsync(AccessGrant grant) => ChangeAsync([grant.GrantId], c => c.Withdraw(grant).ToList());

    public Task ReprioritiseAsync(string[] grantIds, int priority) => ChangeAsync(grantIds, c => grantIds.SelectMany(id => c.Reprioritise(id, priority)).ToList());

    /// <summary>
    /// Applies the change, writes the grants it and the pruning touched, then tells the subscribed cameras it touched and
    /// waits for them, so that a revocation has ended their leases (and a new grant is in place) when the caller goes on.
    /// A write that fails leaves memory ahead of the rows: the activation is dropped, and the next one reads the rows.
    /// </summary>
    private async Task ChangeAsync(IEnumerable<string> grantIds, Func<GrantCoverage, List<string>> change)
    {
        var touched = change(Coverage);
        var written = grantIds.Union(Coverage.Prune(clock.GetUtcNow()), StringComparer.Ordinal).ToList();
        _state.Version++;
        try
        {
            await store.SaveAsync(Registry, _state, written);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        var now = clock.GetUtcNow();
        await Task.WhenAll(touched.Distinct(StringComparer.Ordinal).Where(_subscribers.Contains)
            .Select(camera => GrainFactory.GetGrain<ICameraGrain>(camera).GrantsChangedAsync(GrantsOf(camera, now))));
    }

    private CameraGrants GrantsOf(string cameraId, DateTimeOffset now) => new(Coverage.Covering(cameraId, now), _state.Version);
}
