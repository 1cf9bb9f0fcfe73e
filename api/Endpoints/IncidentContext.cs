using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;

namespace SafetyNet.Api.Endpoints;

/// <summary>A listing asked for in an incident's context: only for an incident the caller may see, and for the purpose its grants are for.</summary>
internal static class IncidentContext
{
    /// <summary>The incident's purpose, or the problem to answer with (a blank id, no such incident, or one the caller may not see).</summary>
    public static async Task<(AccessPurpose Purpose, ProblemHttpResult? Problem)> PurposeAsync(string incident, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(incident)) return (default, Problems.BadRequest("incident must be an incident id."));
        var (view, problem) = await IncidentEndpoints.VisibleAsync(incident, user, grains);
        return view is null ? (default, problem) : (view.Purpose, null);
    }

    /// <summary>
    /// The purpose of a single view (decision, lease, snapshot): the one asked for; else the incident's own when the
    /// caller may see it; else emergency-response, which the decision then judges (and audits) like any other request;
    /// with no incident, monitoring. Null when the purpose asked for is not one.
    /// </summary>
    public static async Task<AccessPurpose?> ViewingPurposeAsync(string? purpose, string? incident, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (purpose is not null) return EnumNames<AccessPurpose>.TryParse(purpose, out var asked) ? asked : null;
        if (string.IsNullOrWhiteSpace(incident)) return AccessPurpose.Monitoring;
        var (view, _) = await IncidentEndpoints.VisibleAsync(incident, user, grains);
        return view?.Purpose ?? AccessPurpose.EmergencyResponse;
    }
}
