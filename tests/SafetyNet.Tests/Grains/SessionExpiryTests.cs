using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Grains.Demo;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class SessionExpiryTests(GrainClusterFixture fixture)
{
    private async Task<(CameraInfo Camera, IAgencySessionGrain Session, OperatorPrincipal Principal)> ArrangeAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var grains = fixture.Grains;
        var camera = new CameraInfo($"se-{run}", "11010", new GeoPoint(37.5735, 126.9790), CameraPurpose.CrimePrevention, CameraStatus.Online, "rtsp://x");
        await grains.GetGrain<IDistrictGrain>("11010").UpsertCamerasAsync([camera]);
        await grains.GetGrain<ISpatialQueryGrain>(0).RefreshAsync();
        var police = DemoAgencies.Seoul.First(a => a.Id == "seoul-112");
        await grains.GetGrain<SafetyNet.Contracts.Agencies.IAgencyGrain>(police.Id).UpsertAsync(police, "test");
        var principal = new OperatorPrincipal($"op-{run}", police.Id, "operator", $"se-{run}-s");
        var session = grains.GetGrain<IAgencySessionGrain>(principal.SessionId!);
        await session.StartAsync(principal);
        return (camera, session, principal);
    }

    [Fact]
    public async Task A_session_without_heartbeats_expires_and_its_rights_end()
    {
        var (camera, session, principal) = await ArrangeAsync();
        var request = new AccessRequest(camera.Id, AccessPurpose.Monitoring);
        Assert.Equal(DecisionReasons.StandingPolicy, (await session.DecideAsync(principal, request)).Reason);

        await Eventually.WaitAsync(() => session.GetAsync().AsTask(), s => s!.EndedAt is not null,
            GrainClusterFixture.HeartbeatTimeout * 5, "the expiry timer to end the session");
        var info = await session.GetAsync();
        Assert.Equal("expired", info!.EndReason);
        Assert.Equal(DecisionReasons.SessionExpired, (await session.DecideAsync(principal, request)).Reason);
        await Assert.ThrowsAsync<DomainException>(() => session.HeartbeatAsync(principal));

        var ended = await fixture.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(null, null, principal.SessionId, null, null, null, 1, 50, AuditKinds.SessionEnd));
        Assert.Single(ended.Items);
    }

    [Fact]
    public async Task Heartbeats_keep_a_session_alive_and_logout_ends_it_at_once()
    {
        var (camera, session, principal) = await ArrangeAsync();
        var started = (await session.GetAsync())!;
        for (var i = 0; i < 3; i++)
        {
            var beat = await session.HeartbeatAsync(principal);
            Assert.True(beat.ExpiresAt >= started.ExpiresAt);
        }
        await session.EndAsync(principal, "logout");
        Assert.Equal(DecisionReasons.SessionExpired, (await session.DecideAsync(principal, new AccessRequest(camera.Id, AccessPurpose.Monitoring))).Reason);
        Assert.Equal("logout", (await session.GetAsync())!.EndReason);
    }
}
