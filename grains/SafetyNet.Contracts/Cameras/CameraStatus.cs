using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Cameras;

[JsonConverter(typeof(JsonStringEnumConverter<CameraStatus>))]
public enum CameraStatus
{
    [JsonStringEnumMemberName("online")] Online,
    [JsonStringEnumMemberName("offline")] Offline,
    [JsonStringEnumMemberName("maintenance")] Maintenance,
}
