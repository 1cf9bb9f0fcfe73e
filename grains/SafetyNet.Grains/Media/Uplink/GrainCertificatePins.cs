using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Media.Uplink;

/// <summary>The pins in each camera's <see cref="ICameraCertificatePinGrain"/>, so that every silo of a cluster holds a camera to the same certificate.</summary>
public sealed class GrainCertificatePins(IGrainFactory grains) : ICameraCertificatePins
{
    public async Task<string?> PinnedAsync(string cameraId, string authority) =>
        (await Pin(cameraId).GetAsync()).FirstOrDefault(p => p.Authority == authority)?.Sha256;

    public async Task<string> PinAsync(string cameraId, string authority, string sha256) => (await Pin(cameraId).PinAsync(authority, sha256)).Sha256;

    public Task RefusedAsync(string cameraId, string authority, string sha256) => Pin(cameraId).RefusedAsync(authority, sha256);

    private ICameraCertificatePinGrain Pin(string cameraId) => grains.GetGrain<ICameraCertificatePinGrain>(cameraId);
}
