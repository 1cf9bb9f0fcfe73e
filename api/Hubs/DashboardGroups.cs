namespace SafetyNet.Api.Hubs;

/// <summary>SignalR group names. Every incident group is per agency, so a connection only gets what its own agency may see.</summary>
public static class DashboardGroups
{
    public static string Agency(string agencyId) => $"agency:{agencyId}";

    public static string Incident(string incidentId, string agencyId) => $"incident:{incidentId}:{agencyId}";

    public static string District(string districtCode) => $"district:{districtCode}";
}
