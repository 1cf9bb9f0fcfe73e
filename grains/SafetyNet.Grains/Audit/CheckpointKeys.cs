using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Signing;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Loads this node's checkpoint signing key from its file (creating it, mode 600, on first start when allowed) and the
/// public keys it trusts. Nothing here is read from or written to the database.
/// </summary>
public sealed class CheckpointKeys
{
    public CheckpointKeys(IOptions<AuditCheckpointOptions> options, ILogger<CheckpointKeys> logger)
    {
        var o = options.Value;
        var privateKey = EcdsaKeyFile.LoadOrCreate(o.SigningKeyPath, o.GenerateSigningKey, "Audit:SigningKeyPath", "Audit:GenerateSigningKey",
            "audit checkpoint", typeof(AuditCheckpointOptions), logger);
        Signer = new CheckpointSigner(privateKey);
        var trusted = EcdsaKeyFile.LoadPublicKeys(o.TrustedPublicKeys, "Audit:TrustedPublicKeys", typeof(AuditCheckpointOptions));
        Ring = new CheckpointKeyRing([Signer.PublicKey, .. trusted]);
    }

    public CheckpointSigner Signer { get; }

    public CheckpointKeyRing Ring { get; }
}
