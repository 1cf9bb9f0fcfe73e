using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Incidents;

/// <summary>
/// An incident as responders and dashboards see it. <see cref="Agencies"/> hold grants; an incident a person opened is
/// <see cref="PendingReview"/> until a supervisor confirms it, and <see cref="PendingAgencies"/> are granted only then.
/// </summary>
[GenerateSerializer, Immutable, Alias("incident-view")]
public sealed partial record IncidentView(
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
    [property: Id(18)] DateTimeOffset? GraceUntil,
    [property: Id(19)] string OpenedBy,
    [property: Id(20)] string OpenerAgencyId,
    [property: Id(21)] string? Justification,
    [property: Id(22)] bool PendingReview,
    [property: Id(23)] string[] PendingAgencies,
    [property: Id(24)] string[] ReviewingAgencies,
    [property: Id(25)] string? ConfirmedBy,
    [property: Id(26)] DateTimeOffset? ConfirmedAt)
{
    /// <summary>What its grants are for: every view in its context (nearby, access overview, leases) asks for this purpose.</summary>
    [Id(42)] public AccessPurpose Purpose { get; init; }

    public bool IsVisibleTo(string agencyId) => IncidentAudience.Includes(agencyId, Agencies, OpenerAgencyId, PendingReview, ReviewingAgencies);
}

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
    [property: Id(8)] string? ExternalReference,
    [property: Id(9)] string OpenerAgencyId = "",
    [property: Id(10)] bool PendingReview = false,
    [property: Id(11)] string[]? ReviewingAgencies = null,
    [property: Id(12)] DateTimeOffset? ClosedAt = null)
{
    public bool IsVisibleTo(string agencyId) => IncidentAudience.Includes(agencyId, Agencies, OpenerAgencyId, PendingReview, ReviewingAgencies);
}
