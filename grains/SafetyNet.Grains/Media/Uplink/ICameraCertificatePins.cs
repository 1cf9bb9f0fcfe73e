namespace SafetyNet.Grains.Media.Uplink;

/// <summary>Where the node keeps the certificates it learnt on first use, for its uplinks and its ONVIF connections (<see cref="GrainCertificatePins"/> in a silo).</summary>
public interface ICameraCertificatePins
{
    /// <summary>The fingerprint pinned for the camera at <paramref name="authority"/>; null when none is.</summary>
    Task<string?> PinnedAsync(string cameraId, string authority);

    /// <summary>Pins <paramref name="sha256"/> unless a pin is already held there; the fingerprint in force either way.</summary>
    Task<string> PinAsync(string cameraId, string authority, string sha256);

    /// <summary>Records that the camera at <paramref name="authority"/> presented <paramref name="sha256"/>, not its pin.</summary>
    Task RefusedAsync(string cameraId, string authority, string sha256);
}
