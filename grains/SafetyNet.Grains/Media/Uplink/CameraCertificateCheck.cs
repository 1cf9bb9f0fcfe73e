using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Media.Uplink;

/// <summary>How the node checks an RTSPS or HTTPS camera's certificate (<see cref="StreamUrlOptions.CameraCertificates"/>).</summary>
public sealed class CameraCertificateCheck
{
    private readonly bool _acceptsAny;
    private readonly X509Certificate2Collection? _trustedRoots;

    public CameraCertificateCheck(StreamUrlOptions options)
    {
        _acceptsAny = options.CameraCertificates == StreamUrlOptions.AnyCertificate;
        if (_acceptsAny || options.CameraCertificates == StreamUrlOptions.SystemCertificates) return;
        _trustedRoots = [];
        _trustedRoots.ImportFromPemFile(options.CameraCertificates);
    }

    /// <summary>The TLS handshake's check: the certificate names the camera and chains to a trusted root (the machine's, or the configured ones).</summary>
    public bool Accepts(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_acceptsAny) return true;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return false;
        if (_trustedRoots is null) return errors == SslPolicyErrors.None;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots);
        // A camera's own CA publishes no revocation list the node could reach.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
