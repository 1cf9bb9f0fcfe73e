using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Incidents;

/// <summary>Who called an SOS: what responders look for on the cameras, and how they approach.</summary>
[JsonConverter(typeof(StrictEnumConverter<PersonCategory>))]
public enum PersonCategory
{
    [JsonStringEnumMemberName("child")] Child,
    [JsonStringEnumMemberName("elderly")] Elderly,
    [JsonStringEnumMemberName("dementia")] Dementia,
    [JsonStringEnumMemberName("woman-walking-home")] WomanWalkingHome,
    [JsonStringEnumMemberName("disabled")] Disabled,
    [JsonStringEnumMemberName("other")] Other,
}
