using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Cameras;

[JsonConverter(typeof(StrictEnumConverter<CameraStatus>))]
public enum CameraStatus
{
    [JsonStringEnumMemberName("online")] Online,
    [JsonStringEnumMemberName("offline")] Offline,
    [JsonStringEnumMemberName("maintenance")] Maintenance,
}
