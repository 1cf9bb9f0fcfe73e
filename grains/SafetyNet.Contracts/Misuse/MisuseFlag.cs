using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Misuse;

/// <summary>
/// A misuse rule fired for <see cref="Suspect"/> (an actor, or an agency when no actor is known) in one district.
/// <see cref="Evidence"/> are the ledger entries (seqs) that made it fire, those about this district's cameras where the
/// pattern spans several districts; <see cref="Key"/> is what the rule counts by (suspect or incident), so one pattern
/// raises one flag however long it continues.
/// </summary>
[GenerateSerializer, Immutable, Alias("misuse-flag")]
public sealed record MisuseFlag(
    [property: Id(0)] string Id,
    [property: Id(1)] string Rule,
    [property: Id(2)] string? DistrictCode,
    [property: Id(3)] string Suspect,
    [property: Id(4)] string? AgencyId,
    [property: Id(5)] DateTimeOffset RaisedAt,
    [property: Id(6)] string Summary,
    [property: Id(7)] long[] Evidence,
    [property: Id(8)] string Key,
    [property: Id(9)] FlagStatus Status = FlagStatus.Open,
    [property: Id(10)] string? AcknowledgedBy = null,
    [property: Id(11)] DateTimeOffset? AcknowledgedAt = null,
    [property: Id(12)] string? Note = null)
{
    public const int MaxNoteLength = 2000;
}

[JsonConverter(typeof(StrictEnumConverter<FlagStatus>))]
public enum FlagStatus
{
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged,
}
