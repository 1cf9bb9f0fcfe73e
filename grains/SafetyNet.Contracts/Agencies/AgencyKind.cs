using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Agencies;

[JsonConverter(typeof(StrictEnumConverter<AgencyKind>))]
public enum AgencyKind
{
    [JsonStringEnumMemberName("police-112-center")] Police112Center,
    [JsonStringEnumMemberName("police-station")] PoliceStation,
    [JsonStringEnumMemberName("police-patrol")] PolicePatrol,
    [JsonStringEnumMemberName("fire-119-center")] Fire119Center,
    [JsonStringEnumMemberName("fire-station")] FireStation,
    [JsonStringEnumMemberName("disaster-room")] DisasterRoom,
    [JsonStringEnumMemberName("vulnerable-support-center")] VulnerableSupportCenter,
    [JsonStringEnumMemberName("district-control-center")] DistrictControlCenter,
    [JsonStringEnumMemberName("platform-operations")] PlatformOperations,
    [JsonStringEnumMemberName("audit-office")] AuditOffice,
}

public static class AgencyKinds
{
    /// <summary>Kinds that run the platform or audit it and never view video: no sharing policy can give them a camera.</summary>
    public static bool ViewsVideo(this AgencyKind kind) => kind is not (AgencyKind.PlatformOperations or AgencyKind.AuditOffice);
}
