using SafetyNet.Contracts.Agencies;
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

    /// <summary>Replaces the whole policy; the answer lists every pair whose level changed.</summary>
    [Alias("set-policy")]
    Task<PolicyUpdate> SetPolicyAsync(SharingPolicy policy, string actor);

    /// <summary>Sets only the named pairs, in one turn, leaving every other pair as it is.</summary>
    [Alias("change-policy")]
    Task<PolicyUpdate> ChangePolicyAsync(PolicyCell[] cells, string actor);

    /// <summary>Sets which agency kinds' standing access also carries the recorded-video right (rewinding); the edit is in the ledger.</summary>
    [Alias("set-recorded-video-kinds")]
    Task<SharingPolicy> SetRecordedVideoKindsAsync(AgencyKind[] kinds, string actor);

    [Alias("upsert-cameras")]
    Task<ImportOutcome> UpsertCamerasAsync(CameraInfo[] cameras);

    [Alias("camera"), ReadOnly, AlwaysInterleave]
    ValueTask<CameraInfo?> GetCameraAsync(string cameraId);

    [Alias("update-camera")]
    Task<CameraInfo?> UpdateCameraAsync(string cameraId, CameraPatch patch);

    /// <summary>
    /// Notes the camera's privacy masks as its own record is about to hold them, by their fingerprint (null: none); null for a
    /// camera not in the catalog.
    /// </summary>
    [Alias("note-camera-masks")]
    Task<CameraInfo?> NoteMasksAsync(string cameraId, string? masksDigest);

    /// <summary>The catalog, or null when the caller already holds <paramref name="knownVersion"/>.</summary>
    [Alias("catalog"), ReadOnly, AlwaysInterleave]
    ValueTask<CatalogSnapshot?> GetCatalogIfChangedAsync(long knownVersion);

    /// <summary>Records a camera's status (told by the camera, which owns it): counted in usage, logged for the silo indexes, shown to dashboards. Never changes the catalog version.</summary>
    [Alias("status-record")]
    Task RecordStatusAsync(string cameraId, CameraStatus status);

    /// <summary>Status changes after <paramref name="knownSeq"/>, or null when the caller is current.</summary>
    [Alias("status-changes"), ReadOnly, AlwaysInterleave]
    ValueTask<StatusDelta?> GetStatusChangesAsync(long knownSeq);

    /// <summary>Claims (or renews the claim on) one of the district's concurrent upstream pulls for a camera's relay; false when the uplink is full.</summary>
    [Alias("acquire-upstream")]
    Task<bool> TryAcquireUpstreamAsync(string cameraId, int cap);

    [Alias("release-upstream")]
    Task ReleaseUpstreamAsync(string cameraId);

    [Alias("usage"), ReadOnly]
    ValueTask<DistrictUsage> GetUsageAsync();
}
