using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Cameras;

namespace SafetyNet.Tests.Grains;

/// <summary>Which of a camera's grants a decision rests on: this agency's, for this purpose, live, for the incident asked about, lasting longest.</summary>
public sealed class AccessRulesGrantChoiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly AgencyInfo Police = new("police-jung", "Jung police", AgencyKind.PoliceStation, false, ["11020"]);
    private static readonly AccessSubject Subject = new("s-1", "op", Police);
    private static readonly CameraInfo Camera = new("c-1", "11020", new GeoPoint(37.5663, 126.9779), CameraPurpose.CrimePrevention, CameraStatus.Online, "rtsp://10.0.0.1/x");
    private static readonly SharingPolicy DuringIncidents = SharingPolicy.Create(1, (_, _) => SharingLevel.DuringIncident);

    private static AccessGrant Grant(string id, TimeSpan lasts, string agency = "police-jung", AccessPurpose purpose = AccessPurpose.Monitoring,
        string incident = "inc-1", TimeSpan? issuedBefore = null) =>
        new(id, agency, purpose, incident, Now - (issuedBefore ?? TimeSpan.FromMinutes(1)), Now + lasts, ["c-1"]);

    private static AccessDecision Decide(AccessRequest request, params AccessGrant[] grants) =>
        AccessRules.Decide(Camera, DuringIncidents, grants, Subject, request, Now);

    [Fact]
    public void The_longest_lasting_of_the_grants_that_apply_is_the_one_decided_on()
    {
        var decision = Decide(new AccessRequest("c-1", AccessPurpose.Monitoring),
            Grant("other-agency", TimeSpan.FromHours(9), agency: "fire-jung"),
            Grant("other-purpose", TimeSpan.FromHours(8), purpose: AccessPurpose.CrimeInvestigation),
            Grant("ended", TimeSpan.FromSeconds(-1), issuedBefore: TimeSpan.FromHours(2)),
            Grant("shorter", TimeSpan.FromHours(1)),
            Grant("longer", TimeSpan.FromHours(3), incident: "inc-2"),
            Grant("between", TimeSpan.FromHours(2)));

        Assert.True(decision.Allowed);
        Assert.Equal(DecisionReasons.IncidentGrant, decision.Reason);
        Assert.Equal("longer", decision.GrantId);
        Assert.Equal(Now + TimeSpan.FromHours(3), decision.ValidUntil);
    }

    [Fact]
    public void A_request_for_one_incident_rests_only_on_that_incidents_grants()
    {
        var decision = Decide(new AccessRequest("c-1", AccessPurpose.Monitoring, "inc-1"),
            Grant("inc-1-grant", TimeSpan.FromHours(1)), Grant("inc-2-grant", TimeSpan.FromHours(3), incident: "inc-2"));
        Assert.Equal("inc-1-grant", decision.GrantId);
        Assert.Equal("inc-1", decision.IncidentId);
    }

    [Fact]
    public void Of_grants_ending_together_the_first_is_decided_on()
    {
        var decision = Decide(new AccessRequest("c-1", AccessPurpose.Monitoring), Grant("first", TimeSpan.FromHours(1)), Grant("second", TimeSpan.FromHours(1)));
        Assert.Equal("first", decision.GrantId);
    }

    [Fact]
    public void Without_a_grant_that_applies_the_districts_level_decides()
    {
        var decision = Decide(new AccessRequest("c-1", AccessPurpose.Monitoring, "inc-9"),
            Grant("other-incident", TimeSpan.FromHours(1)), Grant("ended", TimeSpan.Zero, issuedBefore: TimeSpan.FromHours(1)));
        Assert.False(decision.Allowed);
        Assert.Equal(DecisionReasons.IncidentRequired, decision.Reason);
        Assert.Null(decision.GrantId);
    }
}
