using SafetyNet.Contracts.Access;

namespace SafetyNet.Contracts.Cameras;

/// <summary>One camera (key: camera id). It answers access questions for itself and holds the incident grants that cover it.</summary>
[Alias("camera")]
public interface ICameraGrain : IGrainWithStringKey
{
    [Alias("get")]
    ValueTask<CameraInfo?> GetAsync();

    [Alias("update")]
    Task<CameraInfo> UpdateAsync(CameraPatch patch, string actor);

    /// <summary>Called by the owning district when the catalog entry changed.</summary>
    [Alias("catalog-changed")]
    Task OnCatalogChangedAsync(CameraInfo camera);

    [Alias("decide")]
    Task<AccessDecision> DecideAsync(AccessSubject subject, AccessRequest request);

    [Alias("add-grant")]
    Task AddGrantAsync(AccessGrant grant);

    [Alias("revoke-grant")]
    Task RevokeGrantAsync(string grantId);

    [Alias("grants")]
    ValueTask<IReadOnlyList<AccessGrant>> GetGrantsAsync();
}
