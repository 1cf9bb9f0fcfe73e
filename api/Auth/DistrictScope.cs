using System.Security.Claims;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Api.Auth;

/// <summary>Whether the caller manages a district: platform admins manage all; a district admin only their agency's own district(s).</summary>
public static class DistrictScope
{
    public static async Task<bool> ManagesAsync(ClaimsPrincipal user, string districtCode, IGrainFactory grains) =>
        (await ManagedAsync(user, grains))(districtCode);

    /// <summary>The test <see cref="ManagesAsync"/> applies, read once for a question about many districts (an import).</summary>
    public static async Task<Func<string, bool>> ManagedAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        if (user.IsInRole(Roles.PlatformAdmin)) return _ => true;
        if (!user.IsInRole(Roles.DistrictAdmin)) return _ => false;
        var agency = await grains.GetGrain<IAgencyGrain>(user.ToOperator().AgencyId).GetAsync();
        return agency is { CityWide: false } ? agency.Districts.Contains : _ => false;
    }
}
