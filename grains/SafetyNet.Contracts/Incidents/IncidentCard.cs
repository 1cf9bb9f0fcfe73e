using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Incidents;

/// <summary>
/// An incident as a situation-room wall lists it and marks it on the map: no cameras, grants, timeline, context or person.
/// Every screen of an agency hears every change to its incidents, hundreds of screens in a city's 112 room; only a screen
/// that opens one incident needs its whole <see cref="IncidentView"/> (a card is a fourteenth of its bytes: docs/benchmarks.md, "Fifth stop").
/// </summary>
public sealed record IncidentCard(
    string Id,
    IncidentType Type,
    IncidentStatus Status,
    GeoPoint Position,
    string DistrictCode,
    int Priority,
    string? ExternalReference,
    string[] Agencies,
    int CameraCount,
    DateTimeOffset OpenedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? GraceUntil,
    string OpenerAgencyId,
    bool PendingReview)
{
    public static IncidentCard Of(IncidentView view) => new(view.Id, view.Type, view.Status, view.Position, view.DistrictCode, view.Priority,
        view.ExternalReference, view.Agencies, view.Cameras.Count, view.OpenedAt, view.ExpiresAt, view.ClosedAt, view.GraceUntil,
        view.OpenerAgencyId, view.PendingReview);
}
