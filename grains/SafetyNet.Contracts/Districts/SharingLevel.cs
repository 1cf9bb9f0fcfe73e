using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Districts;

[JsonConverter(typeof(StrictEnumConverter<SharingLevel>))]
public enum SharingLevel
{
    [JsonStringEnumMemberName("never")] Never,
    [JsonStringEnumMemberName("during-incident")] DuringIncident,
    [JsonStringEnumMemberName("standing")] Standing,
}
