using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Media;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Placement;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

/// <summary>
/// Two silos: one whose CPUs are too busy for one more encode, one with room. A camera that must be encoded (generated
/// pictures, as a masked or H.265 camera's are) is active on the busy one. Its viewer is told to retry, and the camera
/// moves to the silo with room, where the viewer's next request starts its stream. A camera not active yet is placed on a
/// silo with room in the first place. Real grains, real ffmpeg; the loads are set.
/// </summary>
[Trait("Category", "Slow")]
public sealed class EncodeMoveTests : IAsyncLifetime
{
    private const string Busy = "Silo_0";
    private const string Roomy = "Silo_1";
    private const string District = "11140";

    private readonly string _directory = Directory.CreateTempSubdirectory("safetynet-encode-move-").FullName;
    private readonly Dictionary<string, SettableCpuLoad> _loads = new() { [Busy] = new() { RecentShare = 0.97 }, [Roomy] = new() { RecentShare = 0.96 } };
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() =>
        (_cluster, _) = await GrainClusterFixture.StartAsync(_directory, silos: 2, new Dictionary<string, string?> { ["Media:NewEncodeCpuLimit"] = "0.85" },
            (silo, services) => services.AddSingleton<ICpuLoad>(_loads[silo]));

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_camera_its_busy_node_cannot_encode_moves_to_a_node_with_room_where_the_viewers_next_request_starts_it()
    {
        var grains = _cluster.Client;
        var camera = new CameraInfo($"move-{Guid.NewGuid():N}"[..16], District, new GeoPoint(37.5563, 126.9220), CameraPurpose.CrimePrevention, CameraStatus.Online,
            new DemoOptions().StreamUrl);
        await grains.GetGrain<IDistrictGrain>(District).UpsertCamerasAsync([camera]);
        await grains.GetGrain<IDistrictGrain>(District).SetPolicyAsync(SharingPolicy.Create(0, (_, _) => SharingLevel.Standing), "test");
        await grains.GetGrain<IAgencyGrain>("move-112").UpsertAsync(new AgencyInfo("move-112", "Move test 112", AgencyKind.Police112Center, false, [District]), "test");
        var viewer = new OperatorPrincipal("operator", "move-112", "operator", $"move-{Guid.NewGuid():N}");
        var session = grains.GetGrain<IAgencySessionGrain>(viewer.SessionId!);
        await session.StartAsync(viewer);
        var request = new AccessRequest(camera.Id, AccessPurpose.Monitoring);

        // The camera's grain is active on the busy silo.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, Silo(Busy).SiloAddress);
        await grains.GetGrain<ICameraGrain>(camera.Id).GetAsync();
        RequestContext.Clear();
        Assert.Equal(Busy, await HostOfAsync(camera.Id));
        // The district's new policy reaches the decision through its caches: the lease below is to be refused for load, not by the rule.
        await Eventually.WaitAsync(() => session.DecideAsync(viewer, request), decision => decision.Allowed, TimeSpan.FromSeconds(30),
            "the standing policy to allow the camera");

        // Both silos are busy: the viewer is told to retry, and the camera has nowhere to go.
        Assert.Equal(RefusalReasons.NodeBusyEncoding, await LeaseAnswerAsync(session, viewer, request));

        // The other silo's load falls. The next request is refused on the busy silo still (the camera did not move before),
        // and the camera moves to the silo with room, where the request after it starts the stream.
        _loads[Roomy].RecentShare = 0.20;
        Assert.Equal(RefusalReasons.NodeBusyEncoding, await LeaseAnswerAsync(session, viewer, request));
        await Eventually.WaitAsync(() => HostOfAsync(camera.Id), host => host == Roomy, TimeSpan.FromSeconds(30), "the camera to move to the silo with room");
        var outcome = await session.RequestLeaseAsync(viewer, request, StreamLease.StandingPriority);
        Assert.NotNull(outcome.Lease);
        Assert.True(await Relays(Roomy).WaitForPlaylistAsync(camera.Id, TimeSpan.FromSeconds(15), CancellationToken.None), "the stream on the silo with room");
        Assert.Equal(StreamState.Idle, Relays(Busy).StatusOf(camera.Id).State);
        Assert.Equal(2, Relays(Busy).EncodesRefused);
    }

    [Fact]
    public async Task New_cameras_are_placed_on_the_silo_with_room_to_encode_and_anywhere_when_no_silo_has_room()
    {
        // Orleans' own statistics count a silo's process CPU, not its ffmpeg children: a silo busy with encodes looks idle to it.
        _loads[Roomy].RecentShare = 0.20;
        await Eventually.WaitAsync(() => Task.FromResult(Boards().All(board => !board.MayHaveRoom(Silo(Busy).SiloAddress) && board.MayHaveRoom(Silo(Roomy).SiloAddress))),
            known => known, TimeSpan.FromSeconds(30), "every silo to learn which one has room");

        var placed = await ActivateNewCamerasAsync(count: 12);
        Assert.All(placed, host => Assert.Equal(Roomy, host));

        // With no silo that has room, placement is Orleans' own among all of them: the cameras still activate, on either.
        _loads[Roomy].RecentShare = 0.96;
        await Eventually.WaitAsync(() => Task.FromResult(Boards().All(board => !board.MayHaveRoom(Silo(Roomy).SiloAddress))),
            known => known, TimeSpan.FromSeconds(30), "every silo to learn that neither has room");
        Assert.Equal(24, (await ActivateNewCamerasAsync(count: 24)).Count(host => host is Busy or Roomy));
    }

    /// <summary>Activates cameras never seen before, each by a call through either silo's gateway; where each one is active.</summary>
    private async Task<string?[]> ActivateNewCamerasAsync(int count)
    {
        var hosts = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            var id = $"placed-{Guid.NewGuid():N}"[..16];
            await _cluster.Client.GetGrain<ICameraGrain>(id).GetAsync();
            hosts.Add(await HostOfAsync(id));
        }
        return [.. hosts];
    }

    private IEnumerable<EncodeRoomBoard> Boards() => _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<EncodeRoomBoard>());

    /// <summary>The reason a lease request was refused or denied; "granted" when it was not.</summary>
    private static async Task<string?> LeaseAnswerAsync(IAgencySessionGrain session, OperatorPrincipal viewer, AccessRequest request)
    {
        try
        {
            var outcome = await session.RequestLeaseAsync(viewer, request, StreamLease.StandingPriority);
            return outcome.Lease is null ? $"denied: {outcome.Decision.Reason}" : "granted";
        }
        catch (DomainException refused)
        {
            return refused.Reason;
        }
    }

    private InProcessSiloHandle Silo(string name) => _cluster.Silos.Single(s => s.Name == name);

    private RelayHost Relays(string silo) => Silo(silo).ServiceProvider.GetRequiredService<RelayHost>();

    /// <summary>The name of the silo the grain is active on; null when it is active on none.</summary>
    private async Task<string?> HostOfAsync(string cameraId)
    {
        var grainId = _cluster.Client.GetGrain<ICameraGrain>(cameraId).GetGrainId();
        var statistics = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Where(s => s.GrainId == grainId).Select(s => _cluster.Silos.Single(silo => silo.SiloAddress.Equals(s.SiloAddress)).Name).FirstOrDefault();
    }
}
