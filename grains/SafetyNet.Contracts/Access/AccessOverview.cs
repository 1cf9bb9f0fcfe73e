using System.Text.Json.Serialization;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Contracts.Access;

/// <summary>
/// What one operator's agency may view across the city, cheap enough for a map of every camera: per district × camera
/// purpose whether standing access allows, only an incident could, or nothing can; plus the cameras its incidents grant now.
/// A hint for colouring only: every actual view is still decided (and audited) by the camera.
/// </summary>
[GenerateSerializer, Immutable, Alias("access-overview-result")]
public sealed record AccessOverview(
    [property: Id(0)] string AgencyId,
    [property: Id(1)] IReadOnlyList<DistrictPurposeAccess> Districts,
    [property: Id(2)] IReadOnlyList<GrantedCamera> GrantedCameras,
    [property: Id(3)] DateTimeOffset EvaluatedAt);

/// <summary>The access rules' answer for an online camera of <see cref="Purpose"/> in <see cref="DistrictCode"/>, without any grant.</summary>
[GenerateSerializer, Immutable, Alias("district-purpose-access")]
public sealed record DistrictPurposeAccess(
    [property: Id(0)] string DistrictCode,
    [property: Id(1)] CameraPurpose Purpose,
    [property: Id(2)] StandingAccess Access,
    [property: Id(3)] string Reason);

/// <summary>A camera an incident of the caller's agency grants it right now, and for what.</summary>
[GenerateSerializer, Immutable, Alias("granted-camera")]
public sealed record GrantedCamera(
    [property: Id(0)] string CameraId,
    [property: Id(1)] string IncidentId,
    [property: Id(2)] AccessPurpose Purpose,
    [property: Id(3)] DateTimeOffset ExpiresAt);

[JsonConverter(typeof(StrictEnumConverter<StandingAccess>))]
public enum StandingAccess
{
    /// <summary>Standing policy allows, inside the agency's jurisdiction.</summary>
    [JsonStringEnumMemberName("allowed")] Allowed,

    /// <summary>Only an incident grant can allow (the policy says during-incident, or standing outside the jurisdiction).</summary>
    [JsonStringEnumMemberName("during-incident")] DuringIncident,

    /// <summary>The district never shares this purpose with this kind of agency; not even an incident opens it.</summary>
    [JsonStringEnumMemberName("denied")] Denied,
}
