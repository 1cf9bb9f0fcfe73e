using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Spatial;

/// <summary>A camera's status through the real grains: it leaves the catalog version alone, reaches the index as a delta, and the next decision at once.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class CameraStatusPathTests(GrainClusterFixture fixture)
{
    private const string District = "11170";

    [Fact]
    public async Task A_status_change_keeps_the_catalog_version_and_reaches_the_index_the_usage_and_the_decision()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var grains = fixture.Grains;
        var district = grains.GetGrain<IDistrictGrain>(District);
        var camera = new CameraInfo($"st-{run}", District, new GeoPoint(37.5326, 126.9905), CameraPurpose.CrimePrevention, CameraStatus.Online, "rtsp://127.0.0.1/x");
        await district.UpsertCamerasAsync([camera]);
        var spatial = grains.GetGrain<ISpatialQueryGrain>(0);
        await spatial.RefreshAsync();
        var version = (await district.GetCatalogIfChangedAsync(-1))!.Version;
        var usage = await district.GetUsageAsync();

        var station = new AgencyInfo($"st-{run}", "Yongsan Police Station", AgencyKind.PoliceStation, false, [District]);
        await grains.GetGrain<IAgencyGrain>(station.Id).UpsertAsync(station, "test");
        var principal = new OperatorPrincipal("op", station.Id, "operator", $"st-{run}-s");
        var session = grains.GetGrain<IAgencySessionGrain>(principal.SessionId!);
        await session.StartAsync(principal);
        var before = (await session.DecideAsync(principal, new AccessRequest(camera.Id, AccessPurpose.Monitoring))).Reason;
        Assert.NotEqual(DecisionReasons.CameraMaintenance, before);

        await grains.GetGrain<ICameraGrain>(camera.Id).SetStatusAsync(CameraStatus.Maintenance, "test");

        Assert.Equal(DecisionReasons.CameraMaintenance, (await session.DecideAsync(principal, new AccessRequest(camera.Id, AccessPurpose.Monitoring))).Reason);
        Assert.Null(await district.GetCatalogIfChangedAsync(version));
        Assert.Equal(CameraStatus.Maintenance, (await district.GetCameraAsync(camera.Id))!.Status);
        var after = await district.GetUsageAsync();
        Assert.Equal(usage.CamerasInMaintenance + 1, after.CamerasInMaintenance);
        Assert.Equal(usage.CamerasOnline - 1, after.CamerasOnline);
        await spatial.RefreshAsync();
        Assert.Equal(CameraStatus.Maintenance, (await spatial.FindAsync(camera.Id))!.Status);

        await grains.GetGrain<ICameraGrain>(camera.Id).SetStatusAsync(CameraStatus.Online, "test");
        Assert.Equal(before, (await session.DecideAsync(principal, new AccessRequest(camera.Id, AccessPurpose.Monitoring))).Reason);
        Assert.Null(await district.GetCatalogIfChangedAsync(version));
        await spatial.RefreshAsync();
        Assert.Equal(CameraStatus.Online, (await spatial.FindAsync(camera.Id))!.Status);
    }
}
