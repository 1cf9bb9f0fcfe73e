using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Districts;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Tests.Spatial;

/// <summary>A district's status log and the index's status deltas, without grains.</summary>
public sealed class StatusDeltaTests
{
    private static CameraInfo Camera(string id, CameraStatus status = CameraStatus.Online) =>
        new(id, "11020", new GeoPoint(37.5572 + id.Length * 1e-4, 126.9979), CameraPurpose.CrimePrevention, status, "rtsp://x");

    [Fact]
    public void The_log_hands_out_changes_since_a_sequence_number_and_a_reset_to_a_caller_older_than_the_log()
    {
        var book = new CameraStatusBook(new DistrictStatusState(), logCapacity: 3);
        Assert.Null(book.Since("11020", 0));
        Assert.True(book.Set("a", CameraStatus.Offline));
        Assert.False(book.Set("a", CameraStatus.Offline));
        Assert.True(book.Set("b", CameraStatus.Maintenance));
        var delta = book.Since("11020", 1)!;
        Assert.False(delta.Reset);
        Assert.Equal(2, delta.Seq);
        Assert.Equal([new CameraStatusChange("b", CameraStatus.Maintenance)], delta.Changes);

        book.Set("a", CameraStatus.Online);
        book.Set("c", CameraStatus.Offline);
        book.Set("d", CameraStatus.Offline);
        var reset = book.Since("11020", 1)!;
        Assert.True(reset.Reset);
        Assert.Equal(5, reset.Seq);
        Assert.Equal(["b", "c", "d"], reset.Changes.Select(c => c.CameraId).Order());
        Assert.Equal(2, book.Since("11020", 3)!.Changes.Length);
    }

    [Fact]
    public void A_new_activation_resets_callers_that_hold_an_older_sequence_number()
    {
        var state = new DistrictStatusState();
        new CameraStatusBook(state).Set("a", CameraStatus.Offline);
        var reactivated = new CameraStatusBook(state);
        Assert.Null(reactivated.Since("11020", 1));
        Assert.True(reactivated.Since("11020", 0)!.Reset);
        reactivated.Set("b", CameraStatus.Offline);
        Assert.False(reactivated.Since("11020", 1)!.Reset);
    }

    [Fact]
    public void A_status_delta_changes_the_index_without_a_rebuild_and_a_later_rebuild_keeps_it()
    {
        var index = new CameraIndex();
        index.Apply([new CatalogSnapshot("11020", 1, [Camera("a"), Camera("bb", CameraStatus.Offline)], StatusSeq: 4)]);
        var before = index.Current;

        index.ApplyStatuses([new StatusDelta("11020", 5, false, [new CameraStatusChange("a", CameraStatus.Maintenance)])]);
        Assert.Equal(CameraStatus.Maintenance, index.Current.Find("a")!.Status);
        Assert.Equal(CameraStatus.Online, before.Find("a")!.Status);
        Assert.Equal(5, index.StatusSeqOf("11020"));
        Assert.Equal([CameraStatus.Maintenance, CameraStatus.Offline], index.Current.Compact.Statuses);
        var nearest = index.Current.Nearest(new SpatialQuery(new GeoPoint(37.5572, 126.9979), 1000, 5, Status: CameraStatus.Maintenance));
        Assert.Equal("a", Assert.Single(nearest).Camera.Id);

        index.ApplyStatuses([new StatusDelta("11020", 5, false, [new CameraStatusChange("a", CameraStatus.Online)])]);
        Assert.Equal(CameraStatus.Maintenance, index.Current.Find("a")!.Status);

        index.Apply([new CatalogSnapshot("11010", 1, [Camera("z") with { DistrictCode = "11010" }])]);
        Assert.Equal(CameraStatus.Maintenance, index.Current.Find("a")!.Status);

        index.ApplyStatuses([new StatusDelta("11020", 9, true, [new CameraStatusChange("a", CameraStatus.Offline)])]);
        Assert.Equal(CameraStatus.Offline, index.Current.Find("a")!.Status);
        Assert.Equal(CameraStatus.Online, index.Current.Find("bb")!.Status);
    }
}
