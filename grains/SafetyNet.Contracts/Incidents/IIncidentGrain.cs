using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Incidents;

/// <summary>One 112, 119, disaster or SOS event (key: incident id). It grants, fans out, and revokes.</summary>
[Alias("incident")]
public interface IIncidentGrain : IGrainWithStringKey
{
    /// <summary>Opens it if the opener's agency kind may open this type (else Forbidden); a person must give a justification.</summary>
    [Alias("open")]
    Task<IncidentView> OpenAsync(OpenIncident request, IncidentActor opener);

    [Alias("get")]
    ValueTask<IncidentView?> GetAsync();

    [Alias("move")]
    Task<IncidentView> MoveAsync(GeoPoint position, string actor);

    /// <summary>By hand: adds agencies, sets the radius or the priority (which an alert's later update never goes below).</summary>
    [Alias("escalate")]
    Task<IncidentView> EscalateAsync(string[] addAgencies, double? radiusMeters, int? priority, string actor);

    /// <summary>
    /// An update of the alert the incident was opened for: it moves to the area the update gives, at its radius and priority,
    /// narrower or lower too, but never narrower than a radius nor lower than a priority someone set by hand.
    /// </summary>
    [Alias("follow-alert")]
    Task<IncidentView> FollowAlertAsync(GeoPoint position, double radiusMeters, int priority, string actor);

    /// <summary>A supervisor's confirmation of an incident a person opened (four eyes): its other responders are granted now.</summary>
    [Alias("confirm")]
    Task<IncidentView> ConfirmAsync(IncidentActor supervisor, string? note);

    /// <summary>The person of an SOS incident was here: the point joins the trail, and the incident follows when it is the newest and far enough away.</summary>
    [Alias("append-trail")]
    Task<IncidentView> AppendTrailAsync(TrailPoint point);

    [Alias("close")]
    Task<IncidentView> CloseAsync(string reason, string actor);
}
