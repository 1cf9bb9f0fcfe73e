using System.Security.Claims;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Api.Auth;

/// <summary>
/// What of the ledger the caller may read, from its role and its agency's jurisdiction: a city-wide auditor everything
/// (null), a district's privacy officer its districts' cameras and its districts' agencies, a district admin who viewed
/// its own cameras. An agency that is not registered reads nothing.
/// </summary>
public static class AuditReadScope
{
    private static readonly AuditScope Nothing = new([], [], CamerasOnly: true);

    public static async Task<AuditScope?> ForAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var agency = await grains.GetGrain<IAgencyGrain>(user.ToOperator().AgencyId).GetAsync();
        if (agency is null) return Nothing;
        if (user.IsInRole(Roles.Auditor))
        {
            if (agency.CityWide) return null;
            var local = (await grains.GetGrain<IAgencyDirectoryGrain>(0).ListAsync())
                .Where(a => !a.CityWide && a.Districts.Any(agency.Districts.Contains))
                .Select(a => a.Id)
                .Order(StringComparer.Ordinal)
                .ToArray();
            return new AuditScope(agency.Districts, local);
        }
        return user.IsInRole(Roles.DistrictAdmin) && !agency.CityWide ? new AuditScope(agency.Districts, [], CamerasOnly: true) : Nothing;
    }
}
