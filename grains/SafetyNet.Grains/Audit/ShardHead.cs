namespace SafetyNet.Grains.Audit;

/// <summary>The end of one shard's chain: its last position and that row's hash (position 0 and the genesis hash when empty).</summary>
public sealed record ShardHead(string Shard, long Seq, string Hash);
