using System.Security.Claims;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Api.Auth;

/// <summary>Whether the caller manages a district: platform admins manage all; a district admin only their agency's own district(s).</summary>
public static class DistrictScope
{
    public static async Task<bool> ManagesAsync(ClaimsPrincipal user, string districtCode, IGrainFactory grains)
    {
        if (user.IsInRole(Roles.PlatformAdmin)) return true;
        if (!user.IsInRole(Roles.DistrictAdmin)) return false;
        var agency = await grains.GetGrain<IAgencyGrain>(user.ToOperator().AgencyId).GetAsync();
        return agency is { CityWide: false } && agency.Districts.Contains(districtCode);
    }
}
