using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Cameras;

namespace SafetyNet.Tests.Rewind;

/// <summary>Who may rewind: the separate recorded-video right, from an incident grant that carries it or the district's policy. Pure rules.</summary>
public sealed class RecordedVideoRuleTests
{
    private static readonly CameraInfo Camera = new("cam", "11020", new GeoPoint(37.56, 126.99), CameraPurpose.CrimePrevention, CameraStatus.Online, "rtsp://cam");
    private static readonly AgencyInfo Police = new("police-jung", "Jung police", AgencyKind.PoliceStation, false, ["11020"]);
    private static readonly AgencyInfo ElsewherePolice = new("police-gangnam", "Gangnam police", AgencyKind.PoliceStation, false, ["11230"]);
    private static readonly AccessGrant PlainGrant = new("inc-1/police-jung", "police-jung", AccessPurpose.EmergencyResponse, "inc-1", DateTimeOffset.UnixEpoch,
        DateTimeOffset.MaxValue, ["cam"]);
    private static readonly AccessGrant RewindGrant = PlainGrant with { RecordedVideo = true };
    private static readonly AccessDecision ByGrant = new(true, DecisionReasons.IncidentGrant, "cam", PlainGrant.GrantId, "inc-1");
    private static readonly AccessDecision ByStanding = new(true, DecisionReasons.StandingPolicy, "cam");
    private static readonly SharingPolicy Korean = SharingPolicy.KoreanDefault;
    private static readonly SharingPolicy PoliceMayRewind = Korean with { RecordedVideoKinds = [AgencyKind.PoliceStation] };

    private static AccessDecision Decide(AccessDecision access, SharingPolicy policy, AccessGrant grant, AgencyInfo? agency = null) =>
        RecordedVideoRules.Decide(access, Camera, policy, [grant], agency ?? Police);

    [Fact]
    public void An_incident_grant_carries_the_right_only_when_its_type_grants_it_and_only_for_the_decision_it_made()
    {
        Assert.True(Decide(ByGrant, Korean, RewindGrant).RecordedVideo);
        Assert.Equal(DecisionReasons.RecordedVideoByGrant, RecordedVideoRules.Basis(ByGrant, Camera, Korean, [RewindGrant], Police));
        Assert.False(Decide(ByGrant, Korean, PlainGrant).RecordedVideo);
        Assert.False(Decide(ByGrant with { GrantId = "inc-2/police-jung" }, Korean, RewindGrant).RecordedVideo);
        Assert.False(Decide(ByStanding, Korean, RewindGrant).RecordedVideo);
    }

    [Fact]
    public void Standing_access_carries_the_right_only_where_the_district_policy_lets_the_kind_rewind()
    {
        Assert.False(Decide(ByStanding, Korean, PlainGrant).RecordedVideo);
        Assert.True(Decide(ByStanding, PoliceMayRewind, PlainGrant).RecordedVideo);
        Assert.Equal(DecisionReasons.RecordedVideoByPolicy, RecordedVideoRules.Basis(ByStanding, Camera, PoliceMayRewind, [PlainGrant], Police));
        // Outside the agency's jurisdiction, or for a purpose its kind has no standing access to, the policy gives nothing.
        Assert.False(Decide(ByStanding, PoliceMayRewind, PlainGrant, ElsewherePolice).RecordedVideo);
        Assert.False(RecordedVideoRules.Decide(ByStanding, Camera with { Purpose = CameraPurpose.Traffic }, PoliceMayRewind, [], Police).RecordedVideo);
        Assert.False(Decide(ByStanding, Korean with { RecordedVideoKinds = [AgencyKind.FireStation] }, PlainGrant).RecordedVideo);
    }

    [Fact]
    public void A_refused_access_never_carries_the_right_and_a_policy_cannot_give_it_to_kinds_that_never_view_video()
    {
        var denied = AccessDecision.Deny("cam", DecisionReasons.NoRule);
        Assert.False(Decide(denied, PoliceMayRewind, RewindGrant).RecordedVideo);
        Assert.False(Decide(denied with { GrantId = RewindGrant.GrantId }, PoliceMayRewind, RewindGrant).RecordedVideo);
        Assert.Null(RecordedVideoRules.Basis(denied, Camera, PoliceMayRewind, [RewindGrant], Police));
        Assert.All(Enum.GetValues<AgencyKind>().Where(k => !k.ViewsVideo()),
            kind => Assert.False((Korean with { RecordedVideoKinds = [kind] }).StandingRewindFor(kind)));
    }

    [Fact]
    public void Every_refusal_and_basis_is_explained()
    {
        Assert.All([DecisionReasons.RecordedVideoNotAllowed, DecisionReasons.RecordedVideoByGrant, DecisionReasons.RecordedVideoByPolicy, DecisionReasons.RewindOutsideWindow],
            reason => Assert.NotEqual(reason, DecisionReasons.Explain(reason)));
    }
}
