using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Cameras;

namespace SafetyNet.Tests.Media;

/// <summary>Which current decisions end a lease, and when the per-lease decision cache must ask the rule again.</summary>
public sealed class LeaseRevocationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly CameraInfo Camera = new("cam-1", "11020", new GeoPoint(37.5640, 126.9970), CameraPurpose.CrimePrevention, CameraStatus.Online, "rtsp://x");
    private static readonly AgencyInfo Police = new("seoul-112", "Seoul 112", AgencyKind.Police112Center, true, []);
    private static readonly StreamLease Lease = new("cam-1~a", "cam-1", "s-1", Police.Id, "kim", AccessPurpose.Monitoring, null, null,
        StreamLease.StandingPriority, Now, Now.AddMinutes(2), null, Police);

    [Theory]
    [InlineData(CameraStatus.Online, null)]
    [InlineData(CameraStatus.Offline, null)]
    [InlineData(CameraStatus.Maintenance, DecisionReasons.CameraMaintenance)]
    public void Only_a_rule_ends_a_lease_not_an_outage(CameraStatus status, string? ending)
    {
        var decision = AccessRules.Decide(Camera with { Status = status }, SharingPolicy.KoreanDefault, [], new AccessSubject("s-1", "kim", Police),
            LeaseRules.RequestOf(Lease), Now);
        Assert.Equal(ending, LeaseRules.Revocation(decision));
    }

    [Fact]
    public void The_cached_answer_is_reused_until_the_policy_version_the_camera_or_the_grants_change()
    {
        var cache = new LeaseDecisionCache();
        var standing = SharingPolicy.KoreanDefault;
        Assert.True(cache.Decide(Lease, Police, Camera, standing, [], 0, Now).Allowed);

        // The same version with a different matrix is never published (every change bumps it), so it proves the reuse.
        var sameVersionNever = SharingPolicy.Create(standing.Version, (_, _) => SharingLevel.Never);
        Assert.True(cache.Decide(Lease, Police, Camera, sameVersionNever, [], 0, Now).Allowed);

        var never = sameVersionNever with { Version = standing.Version + 1 };
        Assert.Equal(DecisionReasons.PolicyNever, cache.Decide(Lease, Police, Camera, never, [], 0, Now).Reason);
        Assert.Equal(DecisionReasons.CameraMaintenance,
            cache.Decide(Lease, Police, Camera with { Status = CameraStatus.Maintenance }, standing, [], 0, Now).Reason);

        var duringIncident = SharingPolicy.Create(standing.Version + 2, (_, _) => SharingLevel.DuringIncident);
        AccessGrant[] grant = [new("g-1", Police.Id, AccessPurpose.Monitoring, "inc-1", Now, Now.AddSeconds(30), ["cam-1"])];
        Assert.Equal(DecisionReasons.IncidentRequired, cache.Decide(Lease, Police, Camera, duringIncident, [], 1, Now).Reason);
        Assert.True(cache.Decide(Lease, Police, Camera, duringIncident, grant, 2, Now).Allowed);
        // The grant's own expiry ends the cached answer, even though nothing else changed.
        Assert.Equal(DecisionReasons.IncidentRequired, cache.Decide(Lease, Police, Camera, duringIncident, grant, 2, Now.AddSeconds(30)).Reason);
    }

    [Fact]
    public void A_renewal_under_a_grant_that_has_just_ended_is_told_the_grant_ended_before_what_the_rule_now_answers()
    {
        var grant = new AccessGrant("inc-1/seoul-112", Police.Id, AccessPurpose.EmergencyResponse, "inc-1", Now.AddMinutes(-5), Now.AddMinutes(30), [Camera.Id], Priority: 1);
        var underGrant = Lease with { GrantId = grant.GrantId, IncidentId = "inc-1", Purpose = AccessPurpose.EmergencyResponse, Priority = 1 };
        var refused = AccessDecision.Deny(Camera.Id, DecisionReasons.IncidentRequired);
        var allowed = new AccessDecision(true, "incident-grant", Camera.Id, grant.GrantId, "inc-1", grant.ExpiresAt);

        // The camera has dropped the grant but not yet ended the lease: the lease's own end comes first.
        Assert.Equal(new RenewalRefusal(LeaseEndReasons.GrantEnded, LeaseEnded: true), LeaseRules.RefuseRenewal(underGrant, [], refused, Now));
        Assert.Equal(new RenewalRefusal(LeaseEndReasons.GrantEnded, LeaseEnded: true), LeaseRules.RefuseRenewal(underGrant, [grant], refused, grant.ExpiresAt));
        // While the grant holds, the rule's refusal is the reason; with both in order, the renewal goes ahead.
        Assert.Equal(new RenewalRefusal(DecisionReasons.IncidentRequired, LeaseEnded: false), LeaseRules.RefuseRenewal(underGrant, [grant], refused, Now));
        Assert.Null(LeaseRules.RefuseRenewal(underGrant, [grant], allowed, Now));
        Assert.Equal(new RenewalRefusal(LeaseEndReasons.Expired, LeaseEnded: true), LeaseRules.RefuseRenewal(Lease, [], allowed, Lease.ExpiresAt));
    }
}
