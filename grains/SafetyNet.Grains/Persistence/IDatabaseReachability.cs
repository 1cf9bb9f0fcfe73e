namespace SafetyNet.Grains.Persistence;

/// <summary>Whether this node currently knows its database to be out of reach (the audit ledger's writer finds out first).</summary>
public interface IDatabaseReachability
{
    /// <summary>When the database stopped answering, while it still has not; null while it answers.</summary>
    DateTimeOffset? DatabaseUnreachableSince { get; }
}
