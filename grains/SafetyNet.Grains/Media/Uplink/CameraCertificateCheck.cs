using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Media.Uplink;

/// <summary>How the node checks the certificate of a camera it reaches over TLS, for its stream (RTSPS, HTTPS) or its ONVIF device (<see cref="StreamUrlOptions.CameraCertificates"/>).</summary>
public sealed class CameraCertificateCheck
{
    private readonly bool _acceptsAny;
    private readonly bool _firstUse;
    private readonly X509Certificate2Collection? _trustedRoots;
    private readonly ICameraCertificatePins _pins;

    public CameraCertificateCheck(StreamUrlOptions options, ICameraCertificatePins pins)
    {
        _pins = pins;
        _acceptsAny = options.CameraCertificates == StreamUrlOptions.AnyCertificate;
        _firstUse = options.CameraCertificates == StreamUrlOptions.FirstUseCertificate;
        if (_acceptsAny || _firstUse || options.CameraCertificates == StreamUrlOptions.SystemCertificates) return;
        _trustedRoots = [];
        _trustedRoots.ImportFromPemFile(options.CameraCertificates);
    }

    /// <summary>The check of one connection's handshake to the camera <paramref name="cameraId"/> at <paramref name="authority"/> (host:port).</summary>
    public async Task<CertificateHandshake> BeginAsync(string cameraId, string authority) =>
        new(this, cameraId, authority, _firstUse ? await _pins.PinnedAsync(cameraId, authority) : null);

    /// <summary>A certificate's SHA-256 fingerprint in upper-case hex, as a browser or a camera's own page shows it.</summary>
    public static string Fingerprint(X509Certificate certificate) => Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>One handshake: <see cref="Accepts"/> is TLS's callback, <see cref="ConfirmAsync"/> follows a handshake it accepted.</summary>
    public sealed class CertificateHandshake(CameraCertificateCheck check, string cameraId, string authority, string? pinned)
    {
        private string? _presented;

        /// <summary>Whether the handshake failed because the camera presented a certificate other than the pinned one.</summary>
        public bool PresentedAnother => pinned is not null && _presented is not null && _presented != pinned;

        public bool Accepts(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (check._acceptsAny) return true;
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
            if (check._firstUse)
            {
                // Cameras mostly sign their own certificates, for a name they were given at the factory: what is checked is that it is the same one.
                _presented = Fingerprint(certificate);
                return pinned is null || _presented == pinned;
            }
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
            if (check._trustedRoots is null) return errors == SslPolicyErrors.None;
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(check._trustedRoots);
            // A camera's own CA publishes no revocation list the node could reach.
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
                foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        }

        /// <summary>
        /// After an accepted handshake: on first use, pins what the camera presented and answers why not when another node
        /// pinned a different certificate meanwhile; null when the connection may carry the stream.
        /// </summary>
        public async Task<string?> ConfirmAsync()
        {
            if (!check._firstUse || pinned is not null || _presented is null) return null;
            var inForce = await check._pins.PinAsync(cameraId, authority, _presented);
            return inForce == _presented ? null : await RefusedAsync(inForce);
        }

        /// <summary>Records a refused certificate where the camera's district reads it; the reason to cut the connection with.</summary>
        public async Task<string> RefusedAsync(string? inForce = null)
        {
            await check._pins.RefusedAsync(cameraId, authority, _presented!);
            return Changed(_presented!, inForce ?? pinned!);
        }

        private string Changed(string presented, string inForce) =>
            $"The camera presented certificate SHA-256 {presented}, not the one pinned when the node first reached it ({inForce}). " +
            $"If the camera was re-keyed, its district checks the new fingerprint on the camera and forgets the pin (DELETE /api/v1/cameras/{cameraId}/certificate-pins?authority={Uri.EscapeDataString(authority)}); " +
            "otherwise something on the path is answering for the camera.";
    }
}
