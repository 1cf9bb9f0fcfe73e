using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Incidents;

/// <summary>The five safety services; each incident serves exactly one.</summary>
[JsonConverter(typeof(StrictEnumConverter<IncidentType>))]
public enum IncidentType
{
    [JsonStringEnumMemberName("112-emergency-video")] EmergencyVideo112,
    [JsonStringEnumMemberName("112-dispatch")] Dispatch112,
    [JsonStringEnumMemberName("119-dispatch")] Dispatch119,
    [JsonStringEnumMemberName("disaster-response")] DisasterResponse,
    [JsonStringEnumMemberName("vulnerable-sos")] VulnerableSos,
}
