namespace SafetyNet.Grains.Audit;

/// <summary>
/// The writer's shard head moved under it: it had left the shard at <see cref="LeftAt"/> and, reconnecting, found
/// <see cref="Found"/>, a head it had neither written nor tried to commit (rows it did not write were added, or its rows
/// removed).
/// </summary>
public sealed record HeadMove(ShardHead LeftAt, ShardHead Found);
