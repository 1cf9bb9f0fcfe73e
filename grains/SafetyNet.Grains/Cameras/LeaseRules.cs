using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media.Streams;

namespace SafetyNet.Grains.Cameras;

/// <summary>When a lease still holds, and which lease a higher-priority viewer may take the place of.</summary>
public static class LeaseRules
{
    /// <summary>
    /// Null when the lease holds; otherwise why it does not. A lease under a grant ends the moment the grant does, and says so
    /// even when its own expiry (capped at the grant's end) falls at the same instant: the viewer did not fail to renew.
    /// </summary>
    public static string? Invalidity(StreamLease lease, IEnumerable<AccessGrant> grants, DateTimeOffset now)
    {
        if (lease.GrantId is { } grantId && !grants.Any(g => g.GrantId == grantId && g.AgencyId == lease.AgencyId && g.IsActiveAt(now)))
            return LeaseEndReasons.GrantEnded;
        if (now >= lease.ExpiresAt) return LeaseEndReasons.Expired;
        return null;
    }

    /// <summary>
    /// Null when a renewal may go ahead; otherwise why not. The lease's own end is judged before the rule's answer: a lease
    /// whose grant has just ended is over for that reason, even while the camera is still ending its leases and the rule
    /// already answers "incident required", so the viewer learns that the incident's grant ended.
    /// </summary>
    public static RenewalRefusal? RefuseRenewal(StreamLease lease, IEnumerable<AccessGrant> grants, AccessDecision decision, DateTimeOffset now) =>
        Invalidity(lease, grants, now) is { } ended ? new RenewalRefusal(ended, LeaseEnded: true)
        : decision.Allowed ? null
        : new RenewalRefusal(decision.Reason, LeaseEnded: false);

    /// <summary>
    /// Null when the rule's current answer for the lease's holder lets the lease go on; otherwise the reason that ends it. Only a
    /// camera that is merely offline keeps its leases: that is an outage, not a rule, and the viewers resume when it returns.
    /// </summary>
    public static string? Revocation(AccessDecision current) =>
        current.Allowed || current.Reason == DecisionReasons.CameraOffline ? null : current.Reason;

    /// <summary>What the lease asks of the rule: the same camera, purpose and incident it was opened for.</summary>
    public static AccessRequest RequestOf(StreamLease lease) => new(lease.CameraId, lease.Purpose, lease.IncidentId);

    /// <summary>A standing-access viewer yields to a viewer of higher priority (<see cref="ViewerPrecedence"/>); the most recent such viewer yields first.</summary>
    public static StreamLease? PreemptionVictim(IEnumerable<StreamLease> active, int requestPriority) => active
        .Where(l => ViewerPrecedence.Yields(standing: l.GrantId is null, l.Priority, requestPriority))
        .OrderByDescending(l => l.Priority).ThenByDescending(l => l.IssuedAt)
        .FirstOrDefault();
}

/// <summary>Why a renewal is refused: the lease itself has ended (<see cref="LeaseEndReasons"/>), or the rule no longer allows it (<see cref="DecisionReasons"/>).</summary>
public sealed record RenewalRefusal(string Reason, bool LeaseEnded)
{
    /// <summary>What the caller is told: 409 when the lease itself has ended, 403 when the rule no longer allows it.</summary>
    public DomainException ToException() => LeaseEnded
        ? DomainException.Conflict($"The lease has ended ({Reason}); request a new one.")
        : DomainException.Forbidden($"Access no longer holds ({Reason}): {DecisionReasons.Explain(Reason)}");
}
