namespace SafetyNet.Grains.Media.Streams;

public enum ConsumerKind
{
    /// <summary>A viewer's lease: held until the lease ends.</summary>
    Viewer,
    /// <summary>An incident's pre-warm: held for the incident's life, until it is released or <see cref="StreamConsumer.Until"/> passes.</summary>
    Prewarm,
}

/// <summary>Something that wants a camera's stream running.</summary>
/// <param name="Until">When the consumer lets go by itself (a pre-warm's safety net if its incident never says so); null holds until released.</param>
public sealed record StreamConsumer(string Id, ConsumerKind Kind, DateTimeOffset? Until = null)
{
    public static StreamConsumer Viewer(string leaseId) => new(leaseId, ConsumerKind.Viewer);

    public static StreamConsumer Prewarm(string incidentId, DateTimeOffset until) => new($"prewarm:{incidentId}", ConsumerKind.Prewarm, until);
}
