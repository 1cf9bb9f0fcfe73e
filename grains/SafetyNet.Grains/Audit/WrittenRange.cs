namespace SafetyNet.Grains.Audit;

/// <summary>
/// The rows a writer chained itself since it last read from the database a head it had not left there: <see cref="Base"/> is
/// that head (as trustworthy as the database), <see cref="Head"/> the last row it committed, hashed from the entries the node
/// produced, whatever the database holds since. <see cref="LeftAt"/> is set when the writer found, on reconnecting, a head
/// it had neither left nor tried to commit: where it had left off, before rows it did not write.
/// </summary>
public sealed record WrittenRange(ShardHead Base, ShardHead Head, ShardHead? LeftAt = null);
