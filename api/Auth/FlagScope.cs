using System.Security.Claims;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Api.Auth;

/// <summary>
/// Whose misuse flags an auditor reads, as <see cref="AuditReadScope"/> scopes the ledger: a city-wide auditor every
/// district's (null), a district's privacy officer its own districts', an unregistered agency none.
/// </summary>
public static class FlagScope
{
    public static async Task<IReadOnlyList<string>?> ForAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var agency = await grains.GetGrain<IAgencyGrain>(user.ToOperator().AgencyId).GetAsync();
        if (agency is null || !user.IsInRole(Roles.Auditor)) return [];
        return agency.CityWide ? null : agency.Districts;
    }
}
