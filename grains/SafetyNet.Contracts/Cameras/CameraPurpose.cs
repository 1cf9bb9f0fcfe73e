using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Cameras;

/// <summary>What a camera was installed for; district sharing policies are written per purpose.</summary>
[JsonConverter(typeof(StrictEnumConverter<CameraPurpose>))]
public enum CameraPurpose
{
    [JsonStringEnumMemberName("crime-prevention")] CrimePrevention,
    [JsonStringEnumMemberName("traffic")] Traffic,
    [JsonStringEnumMemberName("disaster")] Disaster,
    [JsonStringEnumMemberName("child-protection")] ChildProtection,
    [JsonStringEnumMemberName("parking")] Parking,
    [JsonStringEnumMemberName("facility")] Facility,
}
