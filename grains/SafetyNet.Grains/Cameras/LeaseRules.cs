using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Cameras;

/// <summary>When a lease still holds, and which lease a higher-priority viewer may take the place of.</summary>
public static class LeaseRules
{
    /// <summary>Null when the lease holds; otherwise why it does not. A lease under a grant ends the moment the grant does.</summary>
    public static string? Invalidity(StreamLease lease, IEnumerable<AccessGrant> grants, DateTimeOffset now)
    {
        if (now >= lease.ExpiresAt) return "lease-expired";
        if (lease.GrantId is { } grantId && !grants.Any(g => g.GrantId == grantId && g.AgencyId == lease.AgencyId && g.IsActiveAt(now)))
            return "grant-ended";
        return null;
    }

    /// <summary>A standing-access viewer yields to an incident viewer of higher priority; the most recent such viewer yields first.</summary>
    public static StreamLease? PreemptionVictim(IEnumerable<StreamLease> active, int requestPriority) => active
        .Where(l => l.GrantId is null && l.Priority > requestPriority)
        .OrderByDescending(l => l.Priority).ThenByDescending(l => l.IssuedAt)
        .FirstOrDefault();
}
