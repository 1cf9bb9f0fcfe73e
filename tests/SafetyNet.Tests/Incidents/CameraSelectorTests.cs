using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Incidents;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Tests.Incidents;

/// <summary>Issue 11, item 3, as a pure rule: an incident selects only cameras one of its responders could view, and counts the rest with the reason.</summary>
public sealed class CameraSelectorTests
{
    private const string Jung = "11020";
    private static readonly GeoPoint Scene = new(37.5636, 126.9976);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly IncidentTypeSettings Fire = IncidentTypeSettings.DefaultFor(IncidentType.Dispatch119);

    private static readonly AgencyInfo FireCenter = new("seoul-119", "Seoul 119", AgencyKind.Fire119Center, true, []);
    private static readonly AgencyInfo FireStation = new("fire-jung", "Jung-gu Fire Station", AgencyKind.FireStation, false, [Jung]);
    private static readonly AgencyInfo PoliceCenter = new("seoul-112", "Seoul 112", AgencyKind.Police112Center, true, []);

    /// <summary>Jung-gu never shows crime-prevention cameras to fire agencies; everything else is the default.</summary>
    private static readonly SharingPolicy FireNeverCrimePrevention = SharingPolicy.Create(2, (kind, purpose) =>
        kind is AgencyKind.Fire119Center or AgencyKind.FireStation && purpose == CameraPurpose.CrimePrevention
            ? SharingLevel.Never
            : SharingPolicy.KoreanDefault.LevelFor(kind, purpose));

    [Fact]
    public void Only_cameras_a_responder_may_view_are_selected_and_the_rest_are_counted_with_the_reason()
    {
        // 120 cameras within 400 m of the scene, every other one crime-prevention.
        var cameras = Enumerable.Range(0, 120).Select(i => Camera(i, i % 2 == 0 ? CameraPurpose.CrimePrevention : CameraPurpose.Traffic,
            distance: 10 + i * 3, bearing: i * 37 % 360)).ToList();

        var selection = CameraSelector.Select(CameraIndexSnapshot.Build(cameras), Scene, Fire, Fire.RadiusMeters, Viewing(FireCenter, FireStation));

        Assert.Equal(Fire.MaxCameras, selection.Cameras.Count);
        Assert.All(selection.Cameras, c => Assert.Equal(CameraPurpose.Traffic, c.Purpose));
        // The rule alone would have taken the 30 nearest; the 15 crime-prevention ones among them are left out.
        Assert.Equal(15, selection.LeftOut.Count);
        Assert.All(selection.LeftOut, c => Assert.Equal("policy-never for fire-119-center, fire-station", c.Reason));
        Assert.Equal("15 left out: policy-never for fire-119-center, fire-station", selection.LeftOutNote);
    }

    [Fact]
    public void A_responder_of_another_kind_that_may_view_a_camera_keeps_it_in_the_selection()
    {
        var cameras = Enumerable.Range(0, 60).Select(i => Camera(i, i % 2 == 0 ? CameraPurpose.CrimePrevention : CameraPurpose.Traffic,
            distance: 10 + i * 5, bearing: i * 37 % 360)).ToList();

        var selection = CameraSelector.Select(CameraIndexSnapshot.Build(cameras), Scene, Fire, Fire.RadiusMeters, Viewing(FireStation, PoliceCenter));

        Assert.Contains(selection.Cameras, c => c.Purpose == CameraPurpose.CrimePrevention);
        Assert.Empty(selection.LeftOut);
        Assert.Null(selection.LeftOutNote);
    }

    [Fact]
    public void When_the_nearest_cameras_are_all_refused_the_search_widens_to_find_viewable_ones()
    {
        // 600 crime-prevention cameras crowd the scene; five traffic cameras stand 1.2-1.6 km away.
        var crowd = Enumerable.Range(0, 600).Select(i => Camera(i, CameraPurpose.CrimePrevention, distance: 5 + i * 0.5, bearing: i * 7 % 360));
        var far = Enumerable.Range(600, 5).Select(i => Camera(i, CameraPurpose.Traffic, distance: 1200 + (i - 600) * 100, bearing: 90));

        var selection = CameraSelector.Select(CameraIndexSnapshot.Build([.. crowd, .. far]), Scene, Fire, Fire.RadiusMeters, Viewing(FireCenter));

        Assert.Equal(Enumerable.Range(600, 5).Select(i => $"cam-{i}"), selection.Cameras.Select(c => c.CameraId));
        Assert.Equal(Fire.MaxCameras, selection.LeftOut.Count);
        Assert.Equal("30 left out: policy-never for fire-119-center", selection.LeftOutNote);
    }

    [Fact]
    public void Offline_cameras_are_neither_selected_nor_counted_and_different_reasons_are_counted_apart()
    {
        var cameras = new List<CameraInfo>
        {
            Camera(0, CameraPurpose.Traffic, 20, 0) with { Status = CameraStatus.Offline },
            Camera(1, CameraPurpose.CrimePrevention, 30, 90),
            Camera(2, CameraPurpose.Traffic, 40, 180),
            // A purpose stored out of range (an old database, a hand edit) matches no rule.
            Camera(3, (CameraPurpose)99, 50, 270),
        };

        var selection = CameraSelector.Select(CameraIndexSnapshot.Build(cameras), Scene, Fire, Fire.RadiusMeters, Viewing(FireCenter));

        Assert.Equal(["cam-2"], selection.Cameras.Select(c => c.CameraId));
        Assert.Equal(["cam-1", "cam-3"], selection.LeftOut.Select(c => c.CameraId).Order());
        Assert.Equal("2 left out: 1 invalid-record for fire-119-center; 1 policy-never for fire-119-center", selection.LeftOutNote);
    }

    [Fact]
    public void An_incident_with_no_responder_selects_nothing_and_says_why()
    {
        var cameras = Enumerable.Range(0, 10).Select(i => Camera(i, CameraPurpose.Traffic, 10 + i * 10, 0)).ToList();

        var selection = CameraSelector.Select(CameraIndexSnapshot.Build(cameras), Scene, Fire, Fire.RadiusMeters, Viewing());

        Assert.Empty(selection.Cameras);
        Assert.Equal($"10 left out: {ResponderViewing.NoResponder}", selection.LeftOutNote);
    }

    private static ResponderViewing Viewing(params AgencyInfo[] responders) =>
        new(responders.Select(a => (a, Grant(a))), new Dictionary<string, SharingPolicy> { [Jung] = FireNeverCrimePrevention }, Now);

    private static AccessGrant Grant(AgencyInfo agency) =>
        new($"inc-1/{agency.Id}", agency.Id, AccessPurpose.EmergencyResponse, "inc-1", Now, Now.AddHours(6), []);

    private static CameraInfo Camera(int n, CameraPurpose purpose, double distance, double bearing)
    {
        var radians = bearing * Math.PI / 180;
        var position = new GeoPoint(Scene.Latitude + distance * Math.Cos(radians) / 111_320,
            Scene.Longitude + distance * Math.Sin(radians) / (111_320 * Math.Cos(Scene.Latitude * Math.PI / 180)));
        return new CameraInfo($"cam-{n}", Jung, position, purpose, CameraStatus.Online, "rtsp://10.0.0.1/stream", Ptz: true);
    }
}
