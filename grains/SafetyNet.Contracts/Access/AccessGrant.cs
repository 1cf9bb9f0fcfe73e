using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Access;

/// <summary>
/// Time-bounded access for one agency to a set of cameras (or every camera in an area), for one purpose, under one incident.
/// <see cref="Unmasked"/>: the incident's type lets its responders lift privacy masks (with a reason).
/// <see cref="RecordedVideo"/>: the incident's type lets its responders rewind into the minutes a relay keeps.
/// <see cref="Ptz"/>: the incident's type lets its responders turn the cameras (pan, tilt, zoom, presets).
/// <see cref="Priority"/>: the incident's priority (1 highest … 5), which a lease under the grant takes; 0 on a grant recorded before it travelled here.
/// <see cref="ExpiresAt"/> is absolute and checked at every decision, so a late or lost revocation never extends access.
/// </summary>
[GenerateSerializer, Immutable, Alias("access-grant")]
public sealed record AccessGrant(
    [property: Id(0)] string GrantId,
    [property: Id(1)] string AgencyId,
    [property: Id(2)] AccessPurpose Purpose,
    [property: Id(3)] string IncidentId,
    [property: Id(4)] DateTimeOffset IssuedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] string[] CameraIds,
    [property: Id(7)] GrantArea? Area = null,
    [property: Id(8)] string IssuedBy = "system",
    [property: Id(9)] bool Unmasked = false,
    [property: Id(11)] bool RecordedVideo = false,
    [property: Id(12)] bool Ptz = false,
    [property: Id(13)] int Priority = 0)
{
    public bool IsActiveAt(DateTimeOffset now) => now < ExpiresAt;
}

/// <summary>A circle; a grant over an area covers the cameras inside it when the grant is issued.</summary>
[GenerateSerializer, Immutable, Alias("grant-area")]
public sealed record GrantArea([property: Id(0)] GeoPoint Center, [property: Id(1)] double RadiusMeters);
