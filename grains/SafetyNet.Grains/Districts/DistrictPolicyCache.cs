using System.Collections.Concurrent;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Districts;

/// <summary>
/// This silo's copy of each district's sharing policy, so that a decision does not call the district grain. A copy is
/// used for at most <see cref="Freshness"/>; a change saved on this silo replaces it at once (<see cref="Remember"/>);
/// an older version never replaces a newer one, whichever answer arrives last.
/// </summary>
public sealed class DistrictPolicyCache(IGrainFactory grains, IServedDistricts served, TimeProvider clock)
{
    /// <summary>How old a policy a decision may rely on: a change reaches every silo within this, well inside the one second in which a change to "never" must refuse the next media request.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, (SharingPolicy Policy, DateTimeOffset ReadAt)> _policies = new(StringComparer.Ordinal);

    public async ValueTask<SharingPolicy> GetAsync(string districtCode)
    {
        var now = clock.GetUtcNow();
        if (_policies.TryGetValue(districtCode, out var held) && now - held.ReadAt < Freshness) return held.Policy;
        var policy = await grains.GetGrain<IDistrictGrain>(districtCode).GetPolicyAsync();
        return Remember(districtCode, policy, now);
    }

    /// <summary>Every district's policy from this silo's copies (each at most <see cref="Freshness"/> old), for a whole-city question such as an incident's camera selection.</summary>
    public Task<Dictionary<string, SharingPolicy>> AllAsync() => DistrictPolicies.AllAsync(served, GetAsync);

    /// <summary>Keeps <paramref name="policy"/> unless a newer version is held; returns the policy held afterwards.</summary>
    public SharingPolicy Remember(string districtCode, SharingPolicy policy, DateTimeOffset readAt) =>
        _policies.AddOrUpdate(districtCode, (policy, readAt),
            (_, held) => held.Policy.Version > policy.Version ? held with { ReadAt = readAt } : (policy, readAt)).Policy;
}
