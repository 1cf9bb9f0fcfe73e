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
}
