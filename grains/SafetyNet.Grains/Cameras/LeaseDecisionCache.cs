using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// The rule's current answer for each open lease's holder, so that a segment request costs a lookup rather than a decision.
/// An answer is reused only while everything it was made from is unchanged: the district policy's version, the camera's
/// catalog entry (status, purpose), the camera's grants (a version the grain bumps on every change), and the answer's own
/// validity (a grant's expiry).
/// </summary>
public sealed class LeaseDecisionCache
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public AccessDecision Decide(StreamLease lease, AgencyInfo holder, CameraInfo camera, SharingPolicy policy,
        IEnumerable<AccessGrant> grants, long grantsVersion, DateTimeOffset now)
    {
        if (_entries.TryGetValue(lease.LeaseId, out var cached) && cached.PolicyVersion == policy.Version && cached.Camera == camera
            && cached.GrantsVersion == grantsVersion && cached.Holder == holder && (cached.Decision.ValidUntil is not { } until || now < until))
            return cached.Decision;
        var access = AccessRules.Decide(camera, policy, grants, new AccessSubject(lease.SessionId, lease.OperatorId, holder), LeaseRules.RequestOf(lease), now);
        var decision = RecordedVideoRules.Decide(access, camera, policy, grants, holder);
        _entries[lease.LeaseId] = new Entry(policy.Version, camera, grantsVersion, holder, decision);
        return decision;
    }

    public void Forget(string leaseId) => _entries.Remove(leaseId);

    /// <summary>The answer last made for the lease (fresh right after <see cref="Decide"/>), or null.</summary>
    public AccessDecision? Last(string leaseId) => _entries.GetValueOrDefault(leaseId)?.Decision;

    private sealed record Entry(int PolicyVersion, CameraInfo Camera, long GrantsVersion, AgencyInfo Holder, AccessDecision Decision);
}
