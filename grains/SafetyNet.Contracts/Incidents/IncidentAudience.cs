namespace SafetyNet.Contracts.Incidents;

/// <summary>
/// The agencies that see an incident (and may close it): its responders, the agency that opened it, and, while it awaits a
/// supervisor's review, the agencies whose supervisors may confirm it. Seeing it grants no camera: only a grant does.
/// </summary>
public static class IncidentAudience
{
    public static bool Includes(string agencyId, string[] responders, string? openerAgencyId, bool pendingReview, string[]? reviewingAgencies) =>
        responders.Contains(agencyId)
        || (!string.IsNullOrEmpty(openerAgencyId) && openerAgencyId == agencyId)
        || (pendingReview && reviewingAgencies is not null && reviewingAgencies.Contains(agencyId));
}
