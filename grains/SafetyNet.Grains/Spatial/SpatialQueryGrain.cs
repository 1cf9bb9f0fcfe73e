using Orleans.Concurrency;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Spatial;

/// <summary>Answers spatial questions from the local silo's index replica; one activation per core, never a remote hop.</summary>
[StatelessWorker]
public sealed class SpatialQueryGrain(CameraIndex index, CameraIndexRefresher refresher, DistrictLocator locator) : Grain, ISpatialQueryGrain
{
    public ValueTask<IReadOnlyList<CameraHit>> NearestAsync(SpatialQuery query) => ValueTask.FromResult(index.Current.Nearest(query));

    public ValueTask<CameraPage> InBoxAsync(BoxQuery query) => ValueTask.FromResult(index.Current.Page(query));

    public ValueTask<CompactCameraList> CompactAsync() => ValueTask.FromResult(index.Current.Compact);

    public ValueTask<CameraInfo?> FindAsync(string cameraId) => ValueTask.FromResult(index.Current.Find(cameraId));

    public Task RefreshAsync() => refresher.RefreshNowAsync();

    public ValueTask<string?> DistrictOfAsync(GeoPoint point) => ValueTask.FromResult(locator.Locate(point));
}
