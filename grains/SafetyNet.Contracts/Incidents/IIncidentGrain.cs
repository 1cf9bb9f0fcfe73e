using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Incidents;

/// <summary>One 112, 119, disaster or SOS event (key: incident id). It grants, fans out, and revokes.</summary>
[Alias("incident")]
public interface IIncidentGrain : IGrainWithStringKey
{
    [Alias("open")]
    Task<IncidentView> OpenAsync(OpenIncident request, string actor);

    [Alias("get")]
    ValueTask<IncidentView?> GetAsync();

    [Alias("move")]
    Task<IncidentView> MoveAsync(GeoPoint position, string actor);

    [Alias("escalate")]
    Task<IncidentView> EscalateAsync(string[] addAgencies, double? radiusMeters, int? priority, string actor);

    [Alias("close")]
    Task<IncidentView> CloseAsync(string reason, string actor);
}
