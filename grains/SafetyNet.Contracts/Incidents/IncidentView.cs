using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Incidents;

/// <summary>An incident as responders and dashboards see it.</summary>
[GenerateSerializer, Immutable, Alias("incident-view")]
public sealed record IncidentView(
    [property: Id(0)] string Id,
    [property: Id(1)] IncidentType Type,
    [property: Id(2)] IncidentStatus Status,
    [property: Id(3)] GeoPoint Position,
    [property: Id(4)] string DistrictCode,
    [property: Id(5)] int Priority,
    [property: Id(6)] string? ExternalReference,
    [property: Id(7)] string? Address,
    [property: Id(8)] string? Description,
    [property: Id(9)] string[] Agencies,
    [property: Id(10)] double RadiusMeters,
    [property: Id(11)] IReadOnlyList<SelectedCamera> Cameras,
    [property: Id(12)] IReadOnlyList<AccessGrant> Grants,
    [property: Id(13)] IReadOnlyList<TimelineEntry> Timeline,
    [property: Id(14)] IReadOnlyList<ContextFeature> Context,
    [property: Id(15)] DateTimeOffset OpenedAt,
    [property: Id(16)] DateTimeOffset ExpiresAt,
    [property: Id(17)] DateTimeOffset? ClosedAt,
    [property: Id(18)] DateTimeOffset? GraceUntil);

/// <summary>One line of the incident list.</summary>
[GenerateSerializer, Immutable, Alias("incident-summary")]
public sealed record IncidentSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] IncidentType Type,
    [property: Id(2)] IncidentStatus Status,
    [property: Id(3)] string DistrictCode,
    [property: Id(4)] int Priority,
    [property: Id(5)] GeoPoint Position,
    [property: Id(6)] DateTimeOffset OpenedAt,
    [property: Id(7)] string[] Agencies,
    [property: Id(8)] string? ExternalReference);
