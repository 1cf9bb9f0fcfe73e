namespace SafetyNet.Grains.Media.Uplink;

/// <summary>Where the uplink keeps the certificates it learnt on first use (<see cref="GrainCertificatePins"/> in a silo).</summary>
public interface ICameraCertificatePins
{
    /// <summary>The fingerprint pinned for the camera at <paramref name="authority"/>; null when none is.</summary>
    Task<string?> PinnedAsync(string cameraId, string authority);

    /// <summary>Pins <paramref name="sha256"/> unless a pin is already held there; the fingerprint in force either way.</summary>
    Task<string> PinAsync(string cameraId, string authority, string sha256);

    Task RefusedAsync(string cameraId, string sha256);
}
