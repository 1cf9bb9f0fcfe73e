using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Contracts.Districts;

/// <summary>A district office (key: district code). It owns its camera catalog and its sharing policy.</summary>
[Alias("district")]
public interface IDistrictGrain : IGrainWithStringKey
{
    [Alias("info")]
    ValueTask<DistrictInfo> GetInfoAsync();

    [Alias("policy"), ReadOnly, AlwaysInterleave]
    ValueTask<SharingPolicy> GetPolicyAsync();

    [Alias("set-policy")]
    Task<SharingPolicy> SetPolicyAsync(SharingPolicy policy, string actor);

    [Alias("upsert-cameras")]
    Task<ImportOutcome> UpsertCamerasAsync(CameraInfo[] cameras);

    [Alias("camera"), ReadOnly, AlwaysInterleave]
    ValueTask<CameraInfo?> GetCameraAsync(string cameraId);

    [Alias("update-camera")]
    Task<CameraInfo?> UpdateCameraAsync(string cameraId, CameraPatch patch);

    /// <summary>The catalog, or null when the caller already holds <paramref name="knownVersion"/>.</summary>
    [Alias("catalog"), ReadOnly, AlwaysInterleave]
    ValueTask<CatalogSnapshot?> GetCatalogIfChangedAsync(long knownVersion);

    /// <summary>Claims (or renews the claim on) one of the district's concurrent upstream pulls for a camera's relay; false when the uplink is full.</summary>
    [Alias("acquire-upstream")]
    Task<bool> TryAcquireUpstreamAsync(string cameraId, int cap);

    [Alias("release-upstream")]
    Task ReleaseUpstreamAsync(string cameraId);

    [Alias("usage"), ReadOnly]
    ValueTask<DistrictUsage> GetUsageAsync();
}
