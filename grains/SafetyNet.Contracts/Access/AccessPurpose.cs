using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Access;

/// <summary>Why an operator wants to view video. Grants are limited to one purpose (PIPA purpose limitation).</summary>
[JsonConverter(typeof(StrictEnumConverter<AccessPurpose>))]
public enum AccessPurpose
{
    [JsonStringEnumMemberName("emergency-response")] EmergencyResponse,
    [JsonStringEnumMemberName("crime-investigation")] CrimeInvestigation,
    [JsonStringEnumMemberName("disaster-response")] DisasterResponse,
    [JsonStringEnumMemberName("vulnerable-protection")] VulnerableProtection,
    [JsonStringEnumMemberName("monitoring")] Monitoring,
}
