using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Audit;

/// <summary>
/// A ledger row as stored: the entry, its row id (<see cref="Seq"/>, for paging only), and its place in its shard's hash
/// chain: the writer's <see cref="Shard"/> and the position in it (<see cref="ShardSeq"/>; null for rows of the legacy
/// shard, where it is <see cref="Seq"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("audit-record")]
public sealed record AuditRecord(
    [property: Id(0)] long Seq,
    [property: Id(1)] AuditEntry Entry,
    [property: Id(2)] string PrevHash,
    [property: Id(3)] string Hash,
    [property: Id(4)] string? Shard = null,
    [property: Id(5)] long? ShardSeq = null)
{
    /// <summary>The shard of every row written before the ledger had shards (one chain numbered by seq).</summary>
    public const string LegacyShard = "legacy";

    [JsonIgnore]
    public string ShardId => Shard ?? LegacyShard;

    /// <summary>The position in its shard's chain, the number the hash covers.</summary>
    [JsonIgnore]
    public long Position => ShardSeq ?? Seq;
}
