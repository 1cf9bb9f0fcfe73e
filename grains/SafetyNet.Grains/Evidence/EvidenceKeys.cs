using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Signing;

namespace SafetyNet.Grains.Evidence;

/// <summary>This node's evidence signing key (its own file, not the audit key) and the public keys its verification trusts.</summary>
public sealed class EvidenceKeys
{
    private readonly ECDsa _privateKey;

    public EvidenceKeys(IOptions<EvidenceOptions> options, ILogger<EvidenceKeys> logger)
    {
        var o = options.Value;
        _privateKey = EcdsaKeyFile.LoadOrCreate(o.SigningKeyPath, o.GenerateSigningKey, "Evidence:SigningKeyPath", "Evidence:GenerateSigningKey",
            "evidence", typeof(EvidenceOptions), logger);
        PublicKey = CheckpointPublicKey.From(_privateKey);
        Trusted = [PublicKey, .. EcdsaKeyFile.LoadPublicKeys(o.TrustedPublicKeys, "Evidence:TrustedPublicKeys", typeof(EvidenceOptions))];
    }

    public CheckpointPublicKey PublicKey { get; }

    /// <summary>This node's key first, then the others configured.</summary>
    public IReadOnlyList<CheckpointPublicKey> Trusted { get; }

    /// <summary>DER-encoded ECDSA P-256 over SHA-256 of the bytes: what <c>openssl dgst -sha256 -verify</c> checks.</summary>
    public byte[] Sign(byte[] manifest) => _privateKey.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
}
