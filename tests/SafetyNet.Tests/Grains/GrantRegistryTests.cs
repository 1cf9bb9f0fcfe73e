using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SafetyNet.Grains.Access;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

/// <summary>Grants live in the registry of their cameras' district cell, as rows: no camera's state is written for them, and every camera still sees them.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class GrantRegistryTests(GrainClusterFixture fixture)
{
    private const string District = "11240";

    private async Task<(string Run, CameraInfo[] Cameras, IAgencySessionGrain Session, OperatorPrincipal Principal)> ArrangeAsync(
        double latitude = 37.5050, double longitude = 127.1100)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var grains = fixture.Grains;
        CameraInfo[] cameras = [.. Enumerable.Range(0, 3).Select(i =>
            new CameraInfo($"rg-{run}-{i}", District, new GeoPoint(latitude + i * 0.0005, longitude), CameraPurpose.Traffic, CameraStatus.Online, "rtsp://x"))];
        await grains.GetGrain<IDistrictGrain>(District).UpsertCamerasAsync(cameras);
        await grains.GetGrain<ISpatialQueryGrain>(0).RefreshAsync();
        var agency = new AgencyInfo($"rg-{run}", "Registry Test Fire Station", AgencyKind.FireStation, false, [District]);
        await grains.GetGrain<IAgencyGrain>(agency.Id).UpsertAsync(agency, "test");
        var principal = new OperatorPrincipal("crew-1", agency.Id, "operator", $"rg-{run}-s");
        var session = grains.GetGrain<IAgencySessionGrain>(principal.SessionId!);
        await session.StartAsync(principal);
        return (run, cameras, session, principal);
    }

    private AccessGrant Grant(string run, string agencyId, IEnumerable<CameraInfo> cameras) => new($"g-{run}", agencyId, AccessPurpose.EmergencyResponse,
        $"inc-{run}", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10), [.. cameras.Select(c => c.Id)], Priority: 3);

    /// <summary>The summed grain-state versions (one per write) of the cameras: zero while none was ever written.</summary>
    private async Task<long> CameraWritesAsync(IEnumerable<string> cameraIds)
    {
        var ids = cameraIds.ToArray();
        return await SumVersionsAsync($"GrainTypeString = 'camera' AND GrainIdExtensionString IN ({string.Join(',', ids.Select((_, i) => $"@k{i}"))})",
            ids.Select((id, i) => ($"@k{i}", (object)id)).ToArray());
    }

    /// <summary>The version of the registry holding the cameras' grants (they lie in one cell of the district): one per written change.</summary>
    private async Task<long> RegistryWritesAsync(CameraInfo camera)
    {
        await using var connection = await fixture.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM grant_registry_head WHERE registry = @key";
        AddParameter(command, "@key", GrantRegistryKey.For(camera));
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<long> SumVersionsAsync(string where, (string Name, object Value)[] parameters)
    {
        await using var connection = await fixture.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(SUM(Version), 0) FROM OrleansStorage WHERE {where}";
        foreach (var (name, value) in parameters) AddParameter(command, name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static void AddParameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [Fact]
    public async Task Issuing_shortening_and_revoking_a_grant_write_its_registry_once_each_and_no_camera()
    {
        var (run, cameras, session, principal) = await ArrangeAsync();
        var issuer = fixture.Grains.GetGrain<IGrantIssuerGrain>(0);
        var cameraWrites = await CameraWritesAsync(cameras.Select(c => c.Id));
        var registryWrites = await RegistryWritesAsync(cameras[0]);
        var request = new AccessRequest(cameras[0].Id, AccessPurpose.EmergencyResponse);
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, request)).Reason);

        var grant = await issuer.IssueAsync(Grant(run, principal.AgencyId, cameras));
        // The camera is active (it decided above), so the registry told it at once.
        Assert.Equal(DecisionReasons.IncidentGrant, (await session.DecideAsync(principal, request)).Reason);
        await issuer.ShortenAsync(grant, [cameras[0].Id], DateTimeOffset.UtcNow.AddMinutes(1), "incident moved");
        Assert.Equal(DateTimeOffset.UtcNow.AddMinutes(1), (await session.DecideAsync(principal, request)).ValidUntil!.Value, TimeSpan.FromSeconds(5));
        await issuer.RevokeAsync(grant, "incident closed");
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, request)).Reason);

        Assert.Equal(cameraWrites, await CameraWritesAsync(cameras.Select(c => c.Id)));
        Assert.Equal(registryWrites + 3, await RegistryWritesAsync(cameras[0]));
    }

    [Fact]
    public async Task A_withdrawn_grant_whose_issue_lands_afterwards_never_holds_even_after_the_registry_is_read_again()
    {
        var (run, cameras, session, principal) = await ArrangeAsync();
        var issuer = fixture.Grains.GetGrain<IGrantIssuerGrain>(0);
        var request = new AccessRequest(cameras[0].Id, AccessPurpose.EmergencyResponse);
        var grant = Grant(run, principal.AgencyId, cameras);

        // A failed opening withdraws its grants; the issue it gave up on (timed out at the incident) completes afterwards.
        await issuer.WithdrawAsync(grant, "opening failed before the incident was recorded");
        await issuer.IssueAsync(grant);
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, request)).Reason);

        // The withdrawal is in the registry's rows, not only its memory.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await issuer.IssueAsync(grant);
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, request)).Reason);
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, request with { CameraId = cameras[2].Id })).Reason);

        // The ledger's last word on the grant is not a late issue's grant row: each is followed by a revocation.
        var trail = (await fixture.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(null, null, null, grant.IncidentId, null, null, 1, 100))).Items
            .Where(r => r.Entry.Kind is AuditKinds.Grant or AuditKinds.Revocation).OrderBy(r => r.Entry.OccurredAt).ThenBy(r => r.Seq).ToArray();
        Assert.Equal([AuditKinds.Revocation, AuditKinds.Grant, AuditKinds.Revocation, AuditKinds.Grant, AuditKinds.Revocation],
            trail.Select(r => r.Entry.Kind).ToArray());
        Assert.Equal("withdrawn before its issue arrived", trail[^1].Entry.Reason);
    }

    [Fact]
    public async Task A_camera_activated_after_the_grant_learns_it_from_the_registry_even_after_the_registry_was_collected()
    {
        var (run, cameras, session, principal) = await ArrangeAsync();
        var issuer = fixture.Grains.GetGrain<IGrantIssuerGrain>(0);
        var grant = await issuer.IssueAsync(Grant(run, principal.AgencyId, cameras));
        // Every idle activation goes: the cameras, and the registry with the subscriptions it held in memory.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var decision = await session.DecideAsync(principal, new AccessRequest(cameras[1].Id, AccessPurpose.EmergencyResponse));
        Assert.Equal(DecisionReasons.IncidentGrant, decision.Reason);
        Assert.Equal(grant.GrantId, decision.GrantId);

        // A change after the registry's new activation still reaches the cameras that subscribed to the old one.
        await issuer.ReprioritiseAsync([grant with { Priority = 1 }]);
        Assert.All(await fixture.Grains.GetGrain<ICameraGrain>(cameras[1].Id).GetGrantsAsync(), g => Assert.Equal(1, g.Priority));
        await issuer.RevokeAsync(grant, "incident closed");
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, new AccessRequest(cameras[1].Id, AccessPurpose.EmergencyResponse))).Reason);
    }

    [Fact]
    public async Task A_registry_stored_as_one_blob_moves_its_grants_to_rows_and_its_cameras_still_see_them()
    {
        // A cell no other test uses, so that its registry is first activated here, after the blob is written.
        var (run, cameras, session, principal) = await ArrangeAsync(37.4850, 127.1250);
        var legacy = new GrantRegistryState { Version = 4 };
        var grant = Grant(run, principal.AgencyId, cameras);
        new GrantCoverage(legacy).Issue(grant);
        var registry = fixture.Grains.GetGrain<IGrantRegistryGrain>(GrantRegistryKey.For(cameras[0])).GetGrainId();
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        await storage.WriteStateAsync(GrantRegistryGrain.LegacyStateName, registry, new GrainState<GrantRegistryState>(legacy));
        Assert.Equal(0, await RegistryWritesAsync(cameras[0]));

        // The camera's activation subscribes to the registry, whose activation moves the blob's grant to rows.
        var decision = await session.DecideAsync(principal, new AccessRequest(cameras[1].Id, AccessPurpose.EmergencyResponse));
        Assert.Equal(DecisionReasons.IncidentGrant, decision.Reason);
        Assert.Equal(grant.GrantId, decision.GrantId);
        Assert.Equal(5, await RegistryWritesAsync(cameras[0]));
        var blob = new GrainState<GrantRegistryState>(new GrantRegistryState());
        await storage.ReadStateAsync(GrantRegistryGrain.LegacyStateName, registry, blob);
        Assert.Empty(blob.State?.Grants ?? []);

        // From now on the rows are the registry: collected and activated again, it still holds the grant, and a revocation ends it.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(grant.GrantId, (await session.DecideAsync(principal, new AccessRequest(cameras[2].Id, AccessPurpose.EmergencyResponse))).GrantId);
        await fixture.Grains.GetGrain<IGrantIssuerGrain>(0).RevokeAsync(grant, "incident closed");
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, new AccessRequest(cameras[2].Id, AccessPurpose.EmergencyResponse))).Reason);
    }

    [Fact]
    public async Task A_policy_change_is_seen_by_the_next_decision_on_the_silo_that_saved_it()
    {
        var (_, cameras, session, principal) = await ArrangeAsync();
        var district = fixture.Grains.GetGrain<IDistrictGrain>(District);
        var request = new AccessRequest(cameras[2].Id, AccessPurpose.EmergencyResponse);
        Assert.Equal(DecisionReasons.IncidentRequired, (await session.DecideAsync(principal, request)).Reason);
        var level = (await district.GetPolicyAsync()).LevelFor(AgencyKind.FireStation, CameraPurpose.Traffic);
        try
        {
            await district.ChangePolicyAsync([new PolicyCell(AgencyKind.FireStation, CameraPurpose.Traffic, SharingLevel.Never)], "test");
            Assert.Equal(DecisionReasons.PolicyNever, (await session.DecideAsync(principal, request)).Reason);
        }
        finally
        {
            await district.ChangePolicyAsync([new PolicyCell(AgencyKind.FireStation, CameraPurpose.Traffic, level)], "test");
        }
    }
}
