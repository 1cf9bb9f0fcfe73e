namespace SafetyNet.Grains.Persistence;

/// <summary>Whether this node currently knows its database to be out of reach (the audit ledger's writer finds out, or is asked to check).</summary>
public interface IDatabaseReachability
{
    /// <summary>When the database stopped answering, while it still has not; null while it answers.</summary>
    DateTimeOffset? DatabaseUnreachableSince { get; }

    /// <summary>
    /// Completes when the next outage begins (at once while one lasts). Read it after <see cref="DatabaseUnreachableSince"/>
    /// was null: the task of the outage before is replaced before that outage ends, so no one reads a stale, completed one.
    /// </summary>
    Task OutageBegins { get; }

    /// <summary>How long a database operation may wait before the node should check whether the database still answers.</summary>
    TimeSpan ProbeAfter { get; }

    /// <summary>Has the node check, soon and once however often asked, whether its database answers; an outage found begins one.</summary>
    void RequestProbe();
}
