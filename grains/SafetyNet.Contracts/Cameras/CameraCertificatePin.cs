namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// The certificate an RTSPS or HTTPS camera presented the first time the node reached it (trust on first use, as SSH does
/// for a host key). Later connections must present the same one; another is refused until the camera's district forgets
/// the pin, having checked the camera was re-keyed rather than someone on the path.
/// </summary>
/// <param name="Authority">The camera's host and port the pin was learnt at (its stream's, or its ONVIF device's): each is held to its own certificate, and a camera moved to another address is learnt again.</param>
/// <param name="Sha256">The certificate's SHA-256 fingerprint in upper-case hex, as a browser or the camera's own page shows it.</param>
/// <param name="RefusedSha256">The last other certificate the camera presented, which was refused; null when none was.</param>
[GenerateSerializer, Immutable, Alias("camera-certificate-pin-record")]
public sealed record CameraCertificatePin(
    [property: Id(0)] string Authority,
    [property: Id(1)] string Sha256,
    [property: Id(2)] DateTimeOffset PinnedAt,
    [property: Id(3)] string? RefusedSha256 = null,
    [property: Id(4)] DateTimeOffset? RefusedAt = null);
