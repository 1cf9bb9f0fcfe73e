using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Evidence;

/// <summary>What an evidence export holds: an MP4 cut from the relay's live window, or one stamped JPEG.</summary>
[JsonConverter(typeof(StrictEnumConverter<EvidenceKind>))]
public enum EvidenceKind
{
    [JsonStringEnumMemberName("clip")] Clip,
    [JsonStringEnumMemberName("snapshot")] Snapshot,
}
