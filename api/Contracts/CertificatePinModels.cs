using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Contracts;

/// <summary>
/// A camera's certificate pin as its district reads it, with what the camera is reached for at that host and port now:
/// <c>stream</c>, <c>onvif</c>, both, or neither (<see cref="Services"/> empty: a pin left from an address the camera no
/// longer has, which its district may forget).
/// </summary>
public sealed record CertificatePinView(string Authority, string Sha256, DateTimeOffset PinnedAt, string? RefusedSha256, DateTimeOffset? RefusedAt, string[] Services)
{
    public const string Stream = "stream";
    public const string Onvif = "onvif";

    public static CertificatePinView[] Of(CameraCertificatePin[] pins, CameraInfo camera) =>
    [
        .. pins.Select(pin => new CertificatePinView(pin.Authority, pin.Sha256, pin.PinnedAt, pin.RefusedSha256, pin.RefusedAt,
        [
            .. CameraAuthority.Of(camera.StreamUrl) == pin.Authority ? [Stream] : Array.Empty<string>(),
            .. CameraAuthority.Of(camera.OnvifUrl) == pin.Authority ? [Onvif] : Array.Empty<string>(),
        ])),
    ];
}
