using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Incidents;

[JsonConverter(typeof(StrictEnumConverter<IncidentStatus>))]
public enum IncidentStatus
{
    [JsonStringEnumMemberName("open")] Open,

    /// <summary>Closed by a dispatcher or by expiry; grants still run out their grace period.</summary>
    [JsonStringEnumMemberName("closing")] Closing,

    [JsonStringEnumMemberName("closed")] Closed,
}
