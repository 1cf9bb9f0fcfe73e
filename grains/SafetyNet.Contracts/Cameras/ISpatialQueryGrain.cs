namespace SafetyNet.Contracts.Cameras;

/// <summary>Stateless per-silo front of the replicated camera index (key: 0).</summary>
[Alias("spatial-index")]
public interface ISpatialQueryGrain : IGrainWithIntegerKey
{
    [Alias("nearest")]
    ValueTask<IReadOnlyList<CameraHit>> NearestAsync(SpatialQuery query);

    [Alias("in-box")]
    ValueTask<CameraPage> InBoxAsync(BoxQuery query);

    /// <summary>Every camera as parallel columns (no stream URLs), built once per index snapshot.</summary>
    [Alias("compact")]
    ValueTask<CompactCameraList> CompactAsync();

    /// <summary>Brings this silo's replica up to date now, so that a caller sees its own writes.</summary>
    [Alias("refresh")]
    Task RefreshAsync();

    /// <summary>The camera as this silo's replica knows it; cheap, and never activates the camera.</summary>
    [Alias("find")]
    ValueTask<CameraInfo?> FindAsync(string cameraId);

    [Alias("district-of")]
    ValueTask<string?> DistrictOfAsync(Geo.GeoPoint point);
}
