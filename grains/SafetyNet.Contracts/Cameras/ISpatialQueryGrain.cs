namespace SafetyNet.Contracts.Cameras;

/// <summary>Stateless per-silo front of the replicated camera index (key: 0).</summary>
[Alias("spatial-index")]
public interface ISpatialQueryGrain : IGrainWithIntegerKey
{
    [Alias("nearest")]
    ValueTask<IReadOnlyList<CameraHit>> NearestAsync(SpatialQuery query);

    [Alias("in-box")]
    ValueTask<CameraPage> InBoxAsync(BoxQuery query);

    [Alias("district-of")]
    ValueTask<string?> DistrictOfAsync(Geo.GeoPoint point);
}
