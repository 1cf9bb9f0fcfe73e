using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class GrantModelTests(GrainClusterFixture fixture)
{
    private static readonly GeoPoint Scene = new(37.5400, 127.0700);

    private async Task<(string Run, CameraInfo Near, CameraInfo Far, IAgencySessionGrain Session, OperatorPrincipal Principal)> ArrangeAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var grains = fixture.Grains;
        var near = new CameraInfo($"gr-{run}-near", "11050", new GeoPoint(37.5401, 127.0701), CameraPurpose.Traffic, CameraStatus.Online, "rtsp://x");
        var far = near with { Id = $"gr-{run}-far", Position = new GeoPoint(37.5480, 127.0850) };
        await grains.GetGrain<IDistrictGrain>("11050").UpsertCamerasAsync([near, far]);
        await grains.GetGrain<ISpatialQueryGrain>(0).RefreshAsync();
        var agency = new AgencyInfo($"gr-{run}", "Grant Test Fire Station", AgencyKind.FireStation, false, ["11050"]);
        await grains.GetGrain<IAgencyGrain>(agency.Id).UpsertAsync(agency, "test");
        var principal = new OperatorPrincipal("crew-1", agency.Id, "operator", $"gr-{run}-s");
        var session = grains.GetGrain<IAgencySessionGrain>(principal.SessionId!);
        await session.StartAsync(principal);
        return (run, near, far, session, principal);
    }

    [Fact]
    public async Task An_area_grant_covers_the_cameras_inside_it_for_its_purpose_and_incident_only()
    {
        var (run, near, far, session, principal) = await ArrangeAsync();
        var issued = await fixture.Grains.GetGrain<IGrantIssuerGrain>(0).IssueAsync(new AccessGrant($"g-{run}", principal.AgencyId, AccessPurpose.EmergencyResponse,
            $"inc-{run}", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10), [], new GrantArea(Scene, 100)));
        Assert.Contains(near.Id, issued.CameraIds);
        Assert.DoesNotContain(far.Id, issued.CameraIds);

        var allowed = await session.DecideAsync(principal, new AccessRequest(near.Id, AccessPurpose.EmergencyResponse));
        Assert.True(allowed.Allowed);
        Assert.Equal(DecisionReasons.IncidentGrant, allowed.Reason);
        Assert.Equal($"inc-{run}", allowed.IncidentId);
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, new AccessRequest(far.Id, AccessPurpose.EmergencyResponse))).Reason);
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, new AccessRequest(near.Id, AccessPurpose.CrimeInvestigation))).Reason);
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, new AccessRequest(near.Id, AccessPurpose.EmergencyResponse, "another-incident"))).Reason);

        await fixture.Grains.GetGrain<IGrantIssuerGrain>(0).RevokeAsync(issued, "incident closed");
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, new AccessRequest(near.Id, AccessPurpose.EmergencyResponse))).Reason);
    }

    [Fact]
    public async Task A_grant_ends_at_its_own_expiry_without_any_revocation()
    {
        var (run, near, _, session, principal) = await ArrangeAsync();
        await fixture.Grains.GetGrain<IGrantIssuerGrain>(0).IssueAsync(new AccessGrant($"g-{run}", principal.AgencyId, AccessPurpose.EmergencyResponse,
            $"inc-{run}", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(1.5), [near.Id]));
        Assert.True((await session.DecideAsync(principal, new AccessRequest(near.Id, AccessPurpose.EmergencyResponse))).Allowed);
        await Eventually.WaitAsync(
            () => session.DecideAsync(principal, new AccessRequest(near.Id, AccessPurpose.EmergencyResponse)),
            d => !d.Allowed, TimeSpan.FromSeconds(10), "the grant to expire");
    }

    [Fact]
    public async Task A_grant_in_the_past_or_without_a_radius_is_refused()
    {
        var issuer = fixture.Grains.GetGrain<IGrantIssuerGrain>(0);
        await Assert.ThrowsAsync<SafetyNet.Contracts.Errors.DomainException>(() => issuer.IssueAsync(new AccessGrant("g-past", "a", AccessPurpose.EmergencyResponse,
            "i", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(-1), ["x"])));
        await Assert.ThrowsAsync<SafetyNet.Contracts.Errors.DomainException>(() => issuer.IssueAsync(new AccessGrant("g-radius", "a", AccessPurpose.EmergencyResponse,
            "i", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1), [], new GrantArea(Scene, -1))));
    }
}
