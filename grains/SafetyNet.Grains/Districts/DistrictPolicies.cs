using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Districts;

/// <summary>Every served district's current sharing policy, read in parallel from the district grains or from another source.</summary>
public static class DistrictPolicies
{
    public static Task<Dictionary<string, SharingPolicy>> AllAsync(IServedDistricts served, IGrainFactory grains) =>
        AllAsync(served, code => grains.GetGrain<IDistrictGrain>(code).GetPolicyAsync());

    public static async Task<Dictionary<string, SharingPolicy>> AllAsync(IServedDistricts served, Func<string, ValueTask<SharingPolicy>> read) =>
        (await Task.WhenAll(served.Codes.Select(async code => (Code: code, Policy: await read(code)))))
        .ToDictionary(p => p.Code, p => p.Policy, StringComparer.Ordinal);
}
