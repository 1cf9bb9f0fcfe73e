using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

/// <summary>From district policy to decision through the real grains: every agency kind × camera purpose × sharing level, with and without an incident grant.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class AccessMatrixTests(GrainClusterFixture fixture)
{
    private const string District = "11140";

    [Fact]
    public async Task Every_kind_purpose_and_level_decides_as_the_rules_say()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var grains = fixture.Grains;
        var cameras = Enum.GetValues<CameraPurpose>().ToDictionary(p => p, p => new CameraInfo(
            $"mx-{run}-{p}", District, new GeoPoint(37.5563, 126.9220), p, CameraStatus.Online, "rtsp://127.0.0.1/x"));
        await grains.GetGrain<IDistrictGrain>(District).UpsertCamerasAsync(cameras.Values.ToArray());
        await grains.GetGrain<ISpatialQueryGrain>(0).RefreshAsync();

        string AgencyOf(AgencyKind kind) => $"mx-{run}-{kind}";
        foreach (var kind in Enum.GetValues<AgencyKind>())
            await grains.GetGrain<IAgencyGrain>(AgencyOf(kind)).UpsertAsync(new AgencyInfo(AgencyOf(kind), $"Matrix {kind}", kind, false, [District]), "test");

        var failures = new List<string>();
        foreach (var level in Enum.GetValues<SharingLevel>())
        {
            await grains.GetGrain<IDistrictGrain>(District).SetPolicyAsync(SharingPolicy.Create(0, (_, _) => level), "test");
            foreach (var granted in new[] { false, true })
            {
                var grants = new List<AccessGrant>();
                if (granted)
                {
                    foreach (var kind in Enum.GetValues<AgencyKind>())
                        grants.Add(await grains.GetGrain<IGrantIssuerGrain>(0).IssueAsync(new AccessGrant($"g-{run}-{level}-{kind}", AgencyOf(kind),
                            AccessPurpose.EmergencyResponse, $"inc-{run}", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5), cameras.Values.Select(c => c.Id).ToArray())));
                }
                foreach (var kind in Enum.GetValues<AgencyKind>())
                {
                    // Sessions expire after a few seconds in this cluster, and a runner's wall clock has been seen to jump by more
                    // than that; a session of its own for each row keeps the row's decisions within a few milliseconds of its start.
                    var principal = new OperatorPrincipal("op", AgencyOf(kind), "operator", $"mx-{run}-{level}-{granted}-{kind}");
                    var session = grains.GetGrain<IAgencySessionGrain>(principal.SessionId!);
                    await session.StartAsync(principal);
                    foreach (var purpose in Enum.GetValues<CameraPurpose>())
                    {
                        var decision = await session.DecideAsync(principal, new AccessRequest(cameras[purpose].Id, AccessPurpose.EmergencyResponse));
                        var expected = (level, granted) switch
                        {
                            // Platform operations and audit offices never view video, whatever a policy or grant says.
                            _ when !kind.ViewsVideo() => DecisionReasons.PolicyNever,
                            (SharingLevel.Never, _) => DecisionReasons.PolicyNever,
                            (_, true) => DecisionReasons.IncidentGrant,
                            (SharingLevel.Standing, false) => DecisionReasons.StandingPolicy,
                            _ => DecisionReasons.IncidentRequired,
                        };
                        var expectedAllowed = expected is DecisionReasons.IncidentGrant or DecisionReasons.StandingPolicy;
                        if (decision.Reason != expected || decision.Allowed != expectedAllowed)
                            failures.Add($"{level} granted={granted} {kind} × {purpose}: got {decision.Allowed}/{decision.Reason}, expected {expectedAllowed}/{expected}");
                    }
                }
                foreach (var grant in grants) await grains.GetGrain<IGrantIssuerGrain>(0).RevokeAsync(grant, "test over");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Standing_access_stops_at_the_agencys_jurisdiction_and_status_gates_everything()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var grains = fixture.Grains;
        var online = new CameraInfo($"jur-{run}-on", "11150", new GeoPoint(37.5170, 126.8665), CameraPurpose.CrimePrevention, CameraStatus.Online, "rtsp://x");
        var offline = online with { Id = $"jur-{run}-off", Status = CameraStatus.Offline };
        var maintenance = online with { Id = $"jur-{run}-mnt", Status = CameraStatus.Maintenance };
        await grains.GetGrain<IDistrictGrain>("11150").UpsertCamerasAsync([online, offline, maintenance]);
        await grains.GetGrain<ISpatialQueryGrain>(0).RefreshAsync();

        var station = new AgencyInfo($"jur-{run}", "Elsewhere Police Station", AgencyKind.PoliceStation, false, ["11010"]);
        await grains.GetGrain<IAgencyGrain>(station.Id).UpsertAsync(station, "test");
        var principal = new OperatorPrincipal("op", station.Id, "operator", $"jur-{run}-s");
        var session = grains.GetGrain<IAgencySessionGrain>(principal.SessionId!);
        await session.StartAsync(principal);

        Assert.Equal(DecisionReasons.OutsideJurisdiction, (await session.DecideAsync(principal, new AccessRequest(online.Id, AccessPurpose.Monitoring))).Reason);
        Assert.Equal(DecisionReasons.CameraOffline, (await session.DecideAsync(principal, new AccessRequest(offline.Id, AccessPurpose.Monitoring))).Reason);
        Assert.Equal(DecisionReasons.CameraMaintenance, (await session.DecideAsync(principal, new AccessRequest(maintenance.Id, AccessPurpose.Monitoring))).Reason);
        Assert.Equal(DecisionReasons.UnknownCamera, (await session.DecideAsync(principal, new AccessRequest($"nope-{run}", AccessPurpose.Monitoring))).Reason);

        var stranger = principal with { OperatorId = "someone-else" };
        Assert.Equal(DecisionReasons.SessionMismatch, (await session.DecideAsync(stranger, new AccessRequest(online.Id, AccessPurpose.Monitoring))).Reason);
    }
}
