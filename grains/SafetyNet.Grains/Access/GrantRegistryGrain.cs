using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Access;

/// <summary>
/// The grants on the cameras of one cell of a district (<see cref="GrantRegistryKey"/>): one state write per change, however many cameras it covers. Active cameras
/// subscribe on activation and unsubscribe on deactivation; only they are told of a change, so idle cameras stay idle.
/// </summary>
public sealed class GrantRegistryGrain(
    [PersistentState("grant-registry", StorageNames.Default)] IPersistentState<GrantRegistryState> state,
    TimeProvider clock) : Grain, IGrantRegistryGrain
{
    private readonly HashSet<string> _subscribers = new(StringComparer.Ordinal);

    private GrantCoverage Coverage => new(state.State);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Cameras that subscribed to an earlier activation (lost with its silo, or collected while idle) do not know it is
        // gone: every camera a grant holds on is told of the next change, which activates an idle one at most once.
        _subscribers.UnionWith(Coverage.Cameras);
        return Task.CompletedTask;
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

    public Task IssueAsync(AccessGrant[] grants) => ChangeAsync(c => grants.SelectMany(c.Issue).ToList());

    public Task ShortenAsync(AccessGrant grant, string[] cameraIds, DateTimeOffset until) => ChangeAsync(c => c.Shorten(grant, cameraIds, until).ToList());

    public Task RevokeAsync(string grantId) => ChangeAsync(c => c.Revoke(grantId).ToList());

    public Task ReprioritiseAsync(string[] grantIds, int priority) => ChangeAsync(c => grantIds.SelectMany(id => c.Reprioritise(id, priority)).ToList());

    /// <summary>
    /// Applies the change, writes it, then tells the subscribed cameras it touched and waits for them, so that a revocation
    /// has ended their leases (and a new grant is in place) when the caller goes on.
    /// </summary>
    private async Task ChangeAsync(Func<GrantCoverage, List<string>> change)
    {
        var touched = change(Coverage);
        Coverage.Prune(clock.GetUtcNow());
        state.State.Version++;
        await state.WriteStateAsync();
        var now = clock.GetUtcNow();
        await Task.WhenAll(touched.Distinct(StringComparer.Ordinal).Where(_subscribers.Contains)
            .Select(camera => GrainFactory.GetGrain<ICameraGrain>(camera).GrantsChangedAsync(GrantsOf(camera, now))));
    }

    private CameraGrants GrantsOf(string cameraId, DateTimeOffset now) => new(Coverage.Covering(cameraId, now), state.State.Version);
}
