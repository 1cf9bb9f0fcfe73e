using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Districts;

/// <summary>Every district's current sharing policy, read from the district grains in parallel.</summary>
public static class DistrictPolicies
{
    public static async Task<Dictionary<string, SharingPolicy>> AllAsync(IGrainFactory grains) =>
        (await Task.WhenAll(DistrictCodes.All.Select(async code => (Code: code, Policy: await grains.GetGrain<IDistrictGrain>(code).GetPolicyAsync()))))
        .ToDictionary(p => p.Code, p => p.Policy, StringComparer.Ordinal);
}
