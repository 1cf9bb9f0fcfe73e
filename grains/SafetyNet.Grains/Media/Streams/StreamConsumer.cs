using SafetyNet.Contracts.Media;

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
/// <param name="Priority">A viewer's lease priority (1 highest, <see cref="StreamLease.StandingPriority"/> for standing access); null for a pre-warm.</param>
/// <param name="Standing">A viewer under standing access, not an incident's grant: the kind of viewer that yields (<see cref="ViewerPrecedence"/>).</param>
public sealed record StreamConsumer(string Id, ConsumerKind Kind, DateTimeOffset? Until = null, int? Priority = null, bool Standing = false)
{
    public static StreamConsumer Viewer(string leaseId, int priority = StreamLease.StandingPriority, bool standing = true) =>
        new(leaseId, ConsumerKind.Viewer, Priority: priority, Standing: standing);

    public static StreamConsumer ViewerOf(StreamLease lease) => Viewer(lease.LeaseId, lease.Priority, standing: lease.GrantId is null);

    /// <summary>
    /// Whether this consumer gives way to <paramref name="viewer"/>, who wants the CPU its stream takes: a standing-access
    /// viewer of lower priority does (<see cref="ViewerPrecedence"/>), and so does a pre-warm, a guess that someone will watch,
    /// to a viewer under an incident's grant. Nothing gives way to a pre-warm.
    /// </summary>
    public bool YieldsTo(StreamConsumer viewer) => viewer is { Kind: ConsumerKind.Viewer, Priority: { } wanted } && Kind switch
    {
        ConsumerKind.Viewer => Priority is { } own && ViewerPrecedence.Yields(Standing, own, wanted),
        ConsumerKind.Prewarm => !viewer.Standing,
        _ => false,
    };

    public static StreamConsumer Prewarm(string incidentId, DateTimeOffset until) => new($"prewarm:{incidentId}", ConsumerKind.Prewarm, until);
}
