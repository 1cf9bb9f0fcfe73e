using System.Collections.Concurrent;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Api.Auth;

/// <summary>
/// The agency a token names, remembered for a few seconds so that checking every request is not a grain call each.
/// Only registered agencies are remembered, so an agency registered a moment ago is found at once; a change of kind
/// reaches other nodes within <see cref="Lifetime"/> (this node forgets on the change).
/// </summary>
public sealed class RegisteredAgencies(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (AgencyInfo Agency, DateTimeOffset Until)> _recent = new(StringComparer.Ordinal);

    public async ValueTask<AgencyInfo?> FindAsync(string agencyId)
    {
        var now = clock.GetUtcNow();
        if (_recent.TryGetValue(agencyId, out var hit) && hit.Until > now) return hit.Agency;
        var agency = await grains.GetGrain<IAgencyGrain>(agencyId).GetAsync();
        if (agency is null) _recent.TryRemove(agencyId, out _);
        else _recent[agencyId] = (agency, now + Lifetime);
        return agency;
    }

    public void Forget(string agencyId) => _recent.TryRemove(agencyId, out _);
}
