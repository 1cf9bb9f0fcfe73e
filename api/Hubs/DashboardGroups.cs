using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Api.Hubs;

/// <summary>
/// SignalR group names. Every incident group is per agency, so a connection only gets what its own agency may see. An
/// agency's, a district's and a district's flags' groups are their event streams' keys.
/// </summary>
public static class DashboardGroups
{
    public static string Agency(string agencyId) => EventStreams.Agency(agencyId);

    /// <summary>An agency's wall screens: its incidents as cards (<c>IncidentCard</c>), its other events as they are.</summary>
    public static string AgencyCards(string agencyId) => $"cards:{agencyId}";

    public static string Incident(string incidentId, string agencyId) => $"incident:{incidentId}:{agencyId}";

    public static string District(string districtCode) => EventStreams.District(districtCode);

    /// <summary>A district's misuse flags: its privacy officers only (never the operators who join <see cref="District"/>).</summary>
    public static string DistrictFlags(string districtCode) => EventStreams.Flags(districtCode);

    /// <summary>Every district's misuse flags: city-wide auditors.</summary>
    public const string AllFlags = EventStreams.AllFlags;
}
