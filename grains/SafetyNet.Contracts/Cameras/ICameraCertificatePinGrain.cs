namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// A camera's pinned certificates (key: camera id), one for each host and port the node reaches it at (its stream's, its
/// ONVIF device's). Apart from the camera grain, so that the node's uplink can ask it while the camera grain waits on that
/// same uplink for a snapshot.
/// </summary>
[Alias("camera-certificate-pin")]
public interface ICameraCertificatePinGrain : IGrainWithStringKey
{
    /// <summary>Every pin held, oldest first.</summary>
    [Alias("get"), ReadOnly]
    ValueTask<CameraCertificatePin[]> GetAsync();

    /// <summary>
    /// The pin in force at <paramref name="authority"/>: the one held, or <paramref name="sha256"/> pinned now when none is
    /// held there. Whoever asks first pins; the caller compares.
    /// </summary>
    [Alias("pin")]
    Task<CameraCertificatePin> PinAsync(string authority, string sha256);

    /// <summary>Keeps the fingerprint of a certificate refused against the pin at <paramref name="authority"/>, for the district to compare with the camera's.</summary>
    [Alias("refused")]
    Task RefusedAsync(string authority, string sha256);

    /// <summary>
    /// Forgets the pin at <paramref name="authority"/>, or every pin when it is null, so the next connection there learns the
    /// camera's certificate again; the pins forgotten, none when none was held.
    /// </summary>
    [Alias("forget")]
    Task<CameraCertificatePin[]> ForgetAsync(string actor, string? authority);
}
